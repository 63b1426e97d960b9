import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client } from './harness/client.js';
import { runCli, startServer, type RunningServer } from './harness/server.js';
import { readWorld } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';

/**
 * THREATS.md T4, an erasure that answers for itself: its certificate (what, whose pseudonymous
 * id, why, which key destroyed, when, what became of the copies) is signed with the
 * département's Ed25519 key, read again by its DPO only, and verified offline by
 * `cloison certificates verify` with the key the audit checkpoint publishes; one changed byte,
 * or another département's key, and it does not verify.
 */

let server: RunningServer;
let work: string;
let certificate: { id: string; personId: string; statement: string; signature: string };

const login = (label: string, tenant = '44') =>
  new Client(server.baseUrl).login(server.account(label, tenant));

async function publishedKey(tenant: string): Promise<string> {
  const dpo = await login('dpo', tenant);
  let key = '';
  // The first signed checkpoint comes a second or so after the start.
  await vi.waitFor(
    async () => {
      const res = await dpo.get('/api/v1/audit/checkpoint');
      expect(res.status, res.text).toBe(200);
      key = (res.json as { publicKey: string }).publicKey;
    },
    { timeout: 20_000, interval: 250 },
  );
  return key;
}

const verify = (file: string, publicKey?: string) =>
  runCli(['certificates', 'verify', file, ...(publicKey ? ['--public-key', publicKey] : [])], {
    CLOISON_DATA_DIR: server.dataDir,
  });

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-certificates-'));
  // A checkpoint soon: it publishes the key certificates are checked against.
  server = await startServer({ env: { CLOISON_AUDIT_CHECKPOINT_SECONDS: '1' } });
  const world = readWorld(server.dbFile);
  const person = world.persons.find((p) => p.account_id === server.account('usager-2').id)!;
  const erased = await (
    await login('dpo')
  ).post(`/api/v1/persons/${person.id}/erasure`, {
    json: { reason: 'right-to-erasure', reference: 'DPO-2026-041' },
  });
  expect(erased.status, erased.text).toBe(201);
  certificate = erased.json as typeof certificate;
});
afterAll(async () => {
  await stopAndRemove(server);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('an erasure certificate (T4)', () => {
  it('is signed: what, whose pseudonymous id, why, which key, when', () => {
    expect(certificate.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const statement = JSON.parse(certificate.statement) as Record<string, unknown>;
    expect(statement).toMatchObject({
      format: 'cloison-erasure-certificate-1',
      id: certificate.id,
      tenant: '44',
      personId: certificate.personId,
      reason: 'right-to-erasure',
      detail: expect.objectContaining({ reference: 'DPO-2026-041' }) as unknown,
    });
    expect(statement.dataKeyId).toMatch(new RegExp(`^person-key:${certificate.personId}:`));
    // A pseudonymous id only: nothing of the person's identity is in it.
    const usager = server.account('usager-2');
    expect(certificate.statement).not.toContain(usager.email);
  });

  it('is read again by the DPO of its département, and looks missing to everyone else', async () => {
    const dpo = await login('dpo');
    const list = await dpo.get('/api/v1/erasure-certificates');
    expect(list.status, list.text).toBe(200);
    const items = (list.json as { items: Array<{ id: string; statement: string }> }).items;
    expect(items.find((c) => c.id === certificate.id)?.statement).toBe(certificate.statement);
    const one = await dpo.get(`/api/v1/erasure-certificates/${certificate.id}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ statement: certificate.statement });

    const foreign = await (
      await login('dpo', '85')
    ).get(`/api/v1/erasure-certificates/${certificate.id}`);
    const missing = await (
      await login('dpo', '85')
    ).get('/api/v1/erasure-certificates/00000000-0000-4000-8000-00000000dead');
    expect(foreign.status).toBe(404);
    expect(foreign.text.replace(certificate.id, '?')).toBe(
      missing.text.replace('00000000-0000-4000-8000-00000000dead', '?'),
    );
    const theirs = (await (await login('dpo', '85')).get('/api/v1/erasure-certificates')).json as {
      items: Array<{ id: string }>;
    };
    expect(theirs.items.map((c) => c.id)).not.toContain(certificate.id);
    for (const label of ['admin', 'responsable']) {
      expect((await (await login(label)).get('/api/v1/erasure-certificates')).status).toBe(403);
    }
  });

  it('verifies offline with the published key, and not after one byte is changed', async () => {
    const file = path.join(work, 'certificate.json');
    const downloaded = await (
      await login('dpo')
    ).get(`/api/v1/erasure-certificates/${certificate.id}`);
    fs.writeFileSync(file, downloaded.text);
    const key44 = await publishedKey('44');
    const ok = await verify(file, key44);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toContain(`person ${certificate.personId} of département 44 erased`);
    // Without a key given, this platform's keys of the département the statement names.
    expect((await verify(file)).code).toBe(0);

    // One byte of the statement changed: the person erased is another one.
    const altered = JSON.parse(downloaded.text) as { statement: string };
    const at = altered.statement.indexOf(certificate.personId) + 3;
    const flipped = altered.statement[at] === 'a' ? 'b' : 'a';
    altered.statement = altered.statement.slice(0, at) + flipped + altered.statement.slice(at + 1);
    const alteredFile = path.join(work, 'altered.json');
    fs.writeFileSync(alteredFile, JSON.stringify(altered));
    const refused = await verify(alteredFile, key44);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/certificate not intact: the signature does not match/);
    // Checked against another département's key: refused too.
    const other = await verify(file, await publishedKey('85'));
    expect(other.code).toBe(1);
    expect(other.output).toMatch(/not the département 44's/);
  });
});
