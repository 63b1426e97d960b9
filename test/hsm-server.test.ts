import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { createSoftHsmToken, softHsmMissing, type SoftHsmToken } from './support/softhsm.js';
import { listFiles, readDataFiles, stopAndRemove } from './support/storage.js';

/**
 * The whole server on the PKCS#11 path: tenant keys live in a real SoftHSM2 token, nothing of
 * them in the data directory; documents, erasure and restart work through it. CI installs
 * SoftHSM2, so there its absence fails; elsewhere the suite is skipped, loudly.
 */
const missing = softHsmMissing();
const skip = missing !== null && !process.env.CI;
if (skip) console.warn(`HSM server tests SKIPPED: ${missing}`);

describe.skipIf(skip)('a server whose tenant keys are in an HSM', () => {
  let token: SoftHsmToken;
  let server: RunningServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    token = createSoftHsmToken('cloison-server');
    env = { ...token.env, CLOISON_KEY_MANAGER: 'pkcs11' };
    server = await startServer({ env });
  });
  afterAll(async () => {
    await stopAndRemove(server);
    if (token) fs.rmSync(token.dir, { recursive: true, force: true });
  });

  it('keeps no key material in the data directory and serves sealed data', async () => {
    const files = listFiles(server.dataDir);
    expect(files.filter((f) => /keyring|master\.key/.test(f))).toEqual([]);
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const cases = (await usager.get('/api/v1/cases')).json as { items: Array<{ id: string }> };
    expect(cases.items.length).toBeGreaterThan(0);
    const canary = `CANARYHSM${Date.now()}`;
    const draft = cases.items[0]!.id;
    expect(
      (await usager.post(`/api/v1/cases/${draft}/messages`, { json: { body: canary } })).status,
    ).toBe(201);
    const messages = await usager.get(`/api/v1/cases/${draft}/messages`);
    expect(messages.text).toContain(canary);
    const docs = (await usager.get(`/api/v1/cases/${draft}/documents`)).json as {
      items: Array<{ id: string }>;
    };
    for (const d of docs.items) {
      expect((await usager.get(`/api/v1/documents/${d.id}/content`)).status).toBe(200);
    }
    for (const { file, bytes } of readDataFiles(server.dataDir)) {
      expect(bytes.includes(canary), file).toBe(false);
    }
  });

  it('erasure destroys the tenant key version in the token; the others survive a restart', async () => {
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const bruno = server.account('usager-2');
    const [person] = queryDb<{ id: string }>(
      server.dbFile,
      'select id from persons where account_id = ?',
      bruno.id,
    );
    const res = await dpo.post(`/api/v1/persons/${person!.id}/erasure`, {
      json: { reason: 'retention-expired' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ copiesUnreadable: true, tenantKeyRetired: 1 });

    await server.stop();
    server = await startServer({ dataDir: server.dataDir, env });
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const cases = (await usager.get('/api/v1/cases')).json as { items: Array<{ id: string }> };
    expect(cases.items.length).toBeGreaterThan(0);
    const first = await usager.get(`/api/v1/cases/${cases.items[0]!.id}`);
    expect(first.status).toBe(200);
  });
});
