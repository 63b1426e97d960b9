import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { BackupSchedule } from '../config/backup-schedule.js';
import type { AppDeps } from '../deps.js';
import { countJobRun, registerScrapeGauge } from '../metrics/metrics.js';
import { lastSuccessfulBackupAt, recordBackupRun } from '../modules/backup/backup-runs.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
/** The names the schedule gives its files, and the only ones it ever deletes. */
const SCHEDULED_NAME = /^cloison-\d{8}T\d{6}Z\.age$/;
/** After a failure, try again within the hour (or the interval, when shorter). */
const RETRY_MS = 3_600_000;

const CHILD_TIMEOUT_MS = 6 * 3_600_000;

/**
 * What the backup command needs of the server's environment (the data, the keys, the
 * recipient), and none of its other secrets: mail, identity providers, witnesses.
 */
function backupEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    const needed =
      !name.startsWith('CLOISON_') ||
      /^CLOISON_(DATA_DIR|KEY_MANAGER|MASTER_KEY|MASTER_KEY_FILE|KEYRING_FILE|PKCS11_\w+|BACKUP_\w+)$/.test(
        name,
      );
    if (needed) env[name] = value;
  }
  return env;
}

/** A failed backup already recorded, logged and alerted: only the job counter still has to see it. */
class RecordedFailure extends Error {}

function fileName(at: Date): string {
  return `cloison-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}.age`;
}

/**
 * Runs `cloison backup` as a child process: the snapshot, the hashing and the encryption then
 * never hold the server's event loop, and the child reads the database through a connection of
 * its own, as any reader beside a live server.
 */
function runBackupProcess(
  out: string,
  signal: AbortSignal,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    // Stopped with the server (SIGTERM): the command removes its partial file on the way out.
    const child = spawn(process.execPath, [MAIN, 'backup', '--out', out], {
      env: backupEnvironment(),
      // A snapshot of a large database takes minutes, not hours: a hung one must not stop the
      // schedule for good.
      timeout: CHILD_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (error) => resolve({ code: -1, output: error.message }));
    child.once('exit', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** Deletes the oldest scheduled backups beyond `keep`; never a file the schedule did not name. */
function prune(schedule: BackupSchedule): string[] {
  const ours = fs
    .readdirSync(schedule.dir)
    .filter((f) => SCHEDULED_NAME.test(f))
    .sort()
    .reverse();
  const removed = ours.slice(schedule.keep);
  for (const f of removed) fs.rmSync(path.join(schedule.dir, f), { force: true });
  return removed;
}

/** One scheduled backup: taken, recorded, older ones pruned; a failure recorded and alerted. */
export async function takeScheduledBackup(
  app: FastifyInstance,
  deps: AppDeps,
  schedule: BackupSchedule,
  signal: AbortSignal,
): Promise<boolean> {
  const startedAt = deps.clock.now();
  // Real time in the name: file times are real even when a test shifts the server's clock.
  const file = fileName(new Date());
  const run = await runBackupProcess(path.join(schedule.dir, file), signal);
  // The server is stopping: nothing happened that anyone must be told of.
  if (signal.aborted) return false;
  const line = run.output.trim().split('\n').at(-1) ?? '';
  const sha256 = /sha256 ([0-9a-f]{64})/.exec(line)?.[1];
  if (run.code === 0 && sha256) {
    const bytes = fs.statSync(path.join(schedule.dir, file)).size;
    await recordBackupRun(deps, startedAt, { status: 'succeeded', file, bytes, sha256 });
    const removed = prune(schedule);
    app.log.info({ file, bytes, removed: removed.length }, 'scheduled backup written');
    return true;
  }
  // The command's own one-line reason: it names files and causes, never a secret.
  const failure = line.replace(/^backup failed: /, '').slice(0, 300) || `exit ${run.code}`;
  await recordBackupRun(deps, startedAt, { status: 'failed', failure });
  app.log.error({ failure }, 'scheduled backup failed');
  return false;
}

/**
 * Daily (CLOISON_BACKUP_INTERVAL_SECONDS) backups into CLOISON_BACKUP_DIR: the first as soon as
 * the server listens if the last good one is older than the interval, then one per interval
 * after the last good one; a failure is retried within the hour.
 */
export function scheduleBackups(app: FastifyInstance, deps: AppDeps): void {
  const schedule = deps.config.backupSchedule;
  if (!schedule) return;
  const interval = schedule.intervalSeconds * 1000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  const stop = new AbortController();
  const plan = (delay: number) => {
    if (stop.signal.aborted) return;
    timer = setTimeout(() => {
      running = countJobRun('backup', async () => {
        const ok = await takeScheduledBackup(app, deps, schedule, stop.signal);
        // Counted as a failed run, already recorded and alerted.
        if (!ok && !stop.signal.aborted) throw new RecordedFailure();
        return ok;
      })
        .catch((error: unknown) => {
          if (error instanceof RecordedFailure) return false;
          app.log.error(
            { err: error instanceof Error ? error.message : String(error) },
            'scheduled backup failed',
          );
          return false;
        })
        .then((ok) => plan(ok ? interval : Math.min(interval, RETRY_MS)));
    }, delay);
    timer.unref();
  };
  registerScrapeGauge({
    name: 'cloison_backup_last_success_age_seconds',
    help: 'Seconds since the last scheduled backup that succeeded (none yet: NaN)',
    read: async () => {
      const at = await lastSuccessfulBackupAt(deps);
      return at ? Math.max(0, (deps.clock.now().getTime() - at.getTime()) / 1000) : null;
    },
  });
  app.addHook('onListen', async () => {
    const last = await lastSuccessfulBackupAt(deps);
    const due = last === null ? 0 : last.getTime() + interval - deps.clock.now().getTime();
    plan(Math.max(0, due));
  });
  app.addHook('onClose', async () => {
    stop.abort();
    if (timer) clearTimeout(timer);
    await running;
  });
}
