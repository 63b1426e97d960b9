import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import {
  makeDataDir,
  makeKeyFile,
  runCli,
  startServer,
  type RunningServer,
} from './harness/server.js';
import { queryDb } from './harness/world.js';
import { startSyslogReceiver, type SyslogReceiver } from './support/syslog-receiver.js';

/**
 * The server takes its own backups into CLOISON_BACKUP_DIR, keeps the newest N, shows the
 * operator the age of the last good one, and a failed one reaches the operator's syslog as an
 * alert within seconds.
 */

const SCHEDULED = /^cloison-\d{8}T\d{6}Z\.age$/;

async function eventually(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('scheduled backups', () => {
  let server: RunningServer;
  let syslog: SyslogReceiver;
  let work: string;
  let backupDir: string;
  let identity: string;
  let recipient: string;

  const runs = () =>
    queryDb<{ status: string; file: string | null; failure: string | null }>(
      server.dbFile,
      'select status, file, failure from backup_runs order by started_at',
    );

  beforeAll(async () => {
    work = makeDataDir('cloison-scheduled-');
    backupDir = path.join(work, 'backups');
    fs.mkdirSync(backupDir);
    identity = path.join(work, 'identity.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
    recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity]).toString().trim();
    // Not the schedule's: it must never be pruned.
    fs.writeFileSync(path.join(backupDir, 'notes.txt'), 'kept by the operator\n');
    syslog = await startSyslogReceiver('udp');
    server = await startServer({
      env: {
        CLOISON_MASTER_KEY_FILE: makeKeyFile(),
        CLOISON_BACKUP_DIR: backupDir,
        CLOISON_BACKUP_RECIPIENT: recipient,
        CLOISON_BACKUP_INTERVAL_SECONDS: '2',
        CLOISON_BACKUP_KEEP: '2',
        CLOISON_ALERT_SYSLOG_URL: syslog.url,
        CLOISON_METRICS_PORT: '0',
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await syslog?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('are taken on schedule, the newest two kept, each one a backup that verifies', async () => {
    await eventually(() => runs().filter((r) => r.status === 'succeeded').length >= 3, 90_000);
    const files = fs.readdirSync(backupDir).filter((f) => SCHEDULED.test(f));
    expect(files).toHaveLength(2);
    expect(fs.readFileSync(path.join(backupDir, 'notes.txt'), 'utf8')).toBe(
      'kept by the operator\n',
    );
    expect(fs.readdirSync(backupDir).filter((f) => f.endsWith('.part'))).toEqual([]);
    const newest = files.sort().at(-1)!;
    expect(fs.statSync(path.join(backupDir, newest)).mode & 0o777).toBe(0o600);
    const verify = await runCli(
      ['backup', 'verify', path.join(backupDir, newest), '--identity', identity],
      {},
    );
    expect(verify.code, verify.output).toBe(0);
  });

  it('shows the operator the last good backup and its age, and no one else', async () => {
    const operator = await new Client(server.baseUrl).login(server.account('operateur', null));
    const res = await operator.get('/api/v1/platform/backups');
    expect(res.status, res.text).toBe(200);
    const status = res.json as {
      scheduled: boolean;
      keep: number;
      lastSuccess: { ageSeconds: number; file: string; sha256: string } | null;
      recent: Array<{ status: string }>;
    };
    expect(status).toMatchObject({ scheduled: true, keep: 2, intervalSeconds: 2 });
    expect(status.lastSuccess!.file).toMatch(SCHEDULED);
    expect(status.lastSuccess!.ageSeconds).toBeLessThan(60);
    expect(status.lastSuccess!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(status.recent.length).toBeGreaterThanOrEqual(3);
    // And to Prometheus: the age of the last good backup, the runs counted.
    const metrics = await (await fetch(server.metricsUrl!)).text();
    const age = /^cloison_backup_last_success_age_seconds (\S+)$/m.exec(metrics)?.[1];
    expect(Number(age)).toBeLessThan(60);
    const runsCounted = /^cloison_job_runs_total\{job="backup"\} (\d+)$/m.exec(metrics)?.[1];
    expect(Number(runsCounted)).toBeGreaterThanOrEqual(3);
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    expect((await admin.get('/api/v1/platform/backups')).status).toBe(403);
  });

  it('a failed backup is recorded and reaches the operator’s syslog as an alert, then the next one succeeds', async () => {
    const moved = `${backupDir}-away`;
    fs.renameSync(backupDir, moved);
    await eventually(() => runs().some((r) => r.status === 'failed'));
    const failed = runs().find((r) => r.status === 'failed')!;
    expect(failed.failure).toMatch(/not a directory|does not exist|no such/i);
    const frame = await syslog.waitFor((f) => f.msgId === 'backup-failed', 30_000);
    expect(frame.msg ?? '').not.toContain(recipient);
    const alerts = queryDb<{ tenant_id: string | null; severity: string }>(
      server.dbFile,
      "select tenant_id, severity from alerts where rule = 'backup-failed'",
    );
    expect(alerts[0]).toEqual({ tenant_id: null, severity: 'high' });

    fs.renameSync(moved, backupDir);
    const before = runs().length;
    // Retried within the interval here (two seconds), since it is shorter than an hour.
    await eventually(
      () =>
        runs()
          .slice(before)
          .some((r) => r.status === 'succeeded'),
      90_000,
    );
  });

  it('refuses a backup directory inside the data directory, or without a recipient', async () => {
    const dataDir = makeDataDir();
    const inside = await runCli(['serve'], {
      CLOISON_DATA_DIR: dataDir,
      CLOISON_BACKUP_DIR: path.join(dataDir, 'backups'),
      CLOISON_BACKUP_RECIPIENT: recipient,
    });
    expect(inside.code, inside.output).toBe(78);
    expect(inside.output).toContain('CLOISON_BACKUP_DIR must be outside the data directory');
    const noRecipient = await runCli(['serve'], {
      CLOISON_DATA_DIR: dataDir,
      CLOISON_BACKUP_DIR: backupDir,
    });
    expect(noRecipient.code, noRecipient.output).toBe(78);
    expect(noRecipient.output).toContain('needs CLOISON_BACKUP_RECIPIENT');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
