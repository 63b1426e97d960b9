import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { makeDataDir, makeKeyFile, startServer, type RunningServer } from './harness/server.js';
import { listFiles, stopAndRemove, eventually } from './support/storage.js';

/**
 * THREATS.md T2, around the keys rather than the data: the server will not run on a master key
 * or a keyring that other local accounts can read, nor without a master key outside demo mode,
 * and whatever it writes is readable by its own account only.
 */

const started: RunningServer[] = [];
afterAll(() => stopAndRemove(...started));

describe('key material on disk', () => {
  it('refuses to start without a master key outside demo mode', async () => {
    const dataDir = makeDataDir();
    await expect(
      startServer({ demo: false, dataDir, env: { CLOISON_MASTER_KEY_FILE: '' } }),
    ).rejects.toThrow(/exited with 78[\s\S]*no master key/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a master key file that others can read', async () => {
    const keyFile = makeKeyFile();
    fs.chmodSync(keyFile, 0o644);
    await expect(
      startServer({ demo: false, env: { CLOISON_MASTER_KEY_FILE: keyFile } }),
    ).rejects.toThrow(/exited with 78[\s\S]*readable by others \(mode 644\)/);
  });

  it('refuses a keyring that others can read', async () => {
    const keyFile = makeKeyFile();
    const server = await startServer({ env: { CLOISON_MASTER_KEY_FILE: keyFile } });
    await server.stop();
    fs.chmodSync(path.join(server.dataDir, 'keyring.json'), 0o640);
    await expect(
      startServer({ dataDir: server.dataDir, env: { CLOISON_MASTER_KEY_FILE: keyFile } }),
    ).rejects.toThrow(/exited with 78[\s\S]*keyring .* is readable by others/);
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('writes every file of the data directory for its own account only', async () => {
    const server = await startServer();
    started.push(server);
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    expect((await usager.get('/api/v1/cases')).status).toBe(200);
    const open = listFiles(server.dataDir).filter(
      (f) => (fs.statSync(path.join(server.dataDir, f)).mode & 0o077) !== 0,
    );
    expect(open).toEqual([]);
  });

  it('never writes a query string to the logs', async () => {
    const server = await startServer();
    started.push(server);
    const secret = `QUERYCANARY${Date.now()}`;
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    await usager.get(`/api/v1/cases?status=${secret}`);
    await usager.get(`/api/v1/nothing?nir=${secret}`);
    // Log lines cross the child's stdout pipe after the answers: wait for the last one.
    expect(await eventually(() => server.output().includes('"url":"/api/v1/nothing"'), 5_000)).toBe(
      true,
    );
    expect(server.output()).toContain('"url":"/api/v1/cases"');
    expect(server.output()).not.toContain(secret);
  });
});
