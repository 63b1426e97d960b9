import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { makeDataDir, runCli, startServer, type RunningServer } from './harness/server.js';

/**
 * A data directory made by an older Cloison (demo data seeded by commit 83b10db, whose last
 * migration is 0022), kept as a fixture: the current version must upgrade it in place and serve
 * what it held. Demo data only, with its demo master key inside, as `cloison demo` writes it.
 */
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'data-dir-0022.tar.gz');

describe('upgrading a data directory made by an older version', () => {
  let dataDir: string;
  let server: RunningServer | undefined;

  beforeAll(() => {
    dataDir = makeDataDir();
    execFileSync('tar', ['-xzf', FIXTURE, '-C', dataDir]);
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the migrations it lacks, and only those', async () => {
    const run = await runCli(['migrate', '--dry-run'], { CLOISON_DATA_DIR: dataDir });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('would apply: 0023_trusted_devices, 0024_account_status_requests');
  });

  it('starts on it, migrated, and serves its cases and documents byte for byte', async () => {
    server = await startServer({ dataDir });
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const cases = await usager.request('GET', '/api/v1/cases');
    expect(cases.status).toBe(200);
    const items = (cases.json as { items: Array<{ id: string }> }).items;
    expect(items.length).toBeGreaterThan(0);
    let downloaded = 0;
    for (const c of items) {
      const list = await usager.request('GET', `/api/v1/cases/${c.id}/documents`);
      expect(list.status).toBe(200);
      for (const d of (list.json as { items: Array<{ id: string; sha256: string }> }).items) {
        const file = await usager.request('GET', `/api/v1/documents/${d.id}/content`);
        expect(file.status).toBe(200);
        expect(createHash('sha256').update(file.bytes).digest('hex')).toBe(d.sha256);
        downloaded += 1;
      }
    }
    expect(downloaded).toBeGreaterThan(0);
    const again = await runCli(['migrate', '--dry-run'], { CLOISON_DATA_DIR: dataDir });
    // The server holds the lock: the dry run is refused, as any command beside a live server.
    expect(again.code, again.output).toBe(75);
  });

  it('keeps an audit log that verifies after the upgrade', async () => {
    await server?.stop();
    server = undefined;
    const migrated = await runCli(['migrate', '--dry-run'], { CLOISON_DATA_DIR: dataDir });
    expect(migrated.code, migrated.output).toBe(0);
    expect(migrated.output).toContain('database is up to date');
    const verify = await runCli(['audit', 'verify'], {
      CLOISON_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
    });
    expect(verify.code, verify.output).toBe(0);
    expect(verify.output).toContain('chain intact');
    expect(verify.output).not.toContain('BROKEN');
  });
});
