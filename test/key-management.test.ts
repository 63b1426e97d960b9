import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aad } from '../src/crypto/aead.js';
import { KeyRetiredError } from '../src/crypto/key-manager.js';
import { LocalKeyManager } from '../src/crypto/local-key-manager.js';
import { masterKeyFile } from '../src/crypto/master-key.js';
import { Client } from './harness/client.js';
import {
  makeDataDir,
  makeKeyFile,
  runCli,
  startServer,
  type RunningServer,
} from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { KEY_FILES } from './harness/unseal.js';
import { listFiles, readDataFiles, stopAndRemove } from './support/storage.js';

/**
 * Key rotation and crypto-shredding (THREATS.md T2, T4), driven through the `cloison keys` CLI
 * and the API of a running server whose master key lives outside the data directory.
 */

function digestOfDir(dir: string): string {
  const hash = createHash('sha256');
  for (const f of listFiles(dir)) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  return hash.digest('hex');
}

function sealedColumns(dbFile: string): string {
  return JSON.stringify(
    queryDb(dbFile, 'select id, first_name_enc, birth_date_enc from persons order by id').concat(
      queryDb(dbFile, 'select id, body_enc from messages order by id'),
    ),
  );
}

describe('rotation', () => {
  let server: RunningServer;
  let keyFile: string;
  let cli: (...args: string[]) => Promise<{ code: number; output: string }>;
  const tenantId = (code: string) =>
    readWorld(server.dbFile).tenants.find((t) => t.code === code)!.id;
  const kekVersions = (code: string) =>
    queryDb<{ kek_version: number }>(
      server.dbFile,
      'select kek_version from person_keys where tenant_id = ?',
      tenantId(code),
    ).map((r) => r.kek_version);

  beforeAll(async () => {
    keyFile = makeKeyFile();
    server = await startServer({ env: { CLOISON_MASTER_KEY_FILE: keyFile } });
    cli = (...args) =>
      runCli(args, { CLOISON_DATA_DIR: server.dataDir, CLOISON_MASTER_KEY_FILE: keyFile });
  });
  afterAll(() => stopAndRemove(server));

  it('rotates, re-wraps without touching documents, then retires the old version', async () => {
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const readAll = async () => {
      const cases = (await usager.get('/api/v1/cases')).json as { items: Array<{ id: string }> };
      for (const c of cases.items) {
        expect((await usager.get(`/api/v1/cases/${c.id}/messages`)).status).toBe(200);
        const docs = (await usager.get(`/api/v1/cases/${c.id}/documents`)).json as {
          items: Array<{ id: string }>;
        };
        for (const d of docs.items) {
          expect((await usager.get(`/api/v1/documents/${d.id}/content`)).status).toBe(200);
        }
      }
      return cases.items.length;
    };
    expect(await readAll()).toBeGreaterThan(0);
    expect(new Set(kekVersions('44'))).toEqual(new Set([1]));

    // The server keeps running while the operator rotates.
    const rotate = await cli('keys', 'rotate', '--tenant', '44');
    expect(rotate.code, rotate.output).toBe(0);
    const declared = await usager.post('/api/v1/persons', {
      json: {
        firstName: 'Après',
        lastName: 'Rotation',
        birthDate: '2015-02-03',
        mandate: { kind: 'parent', startsOn: '2015-02-03', endsOn: '2033-02-03' },
      },
    });
    expect(declared.status).toBe(201);
    const newId = (declared.json as { id: string }).id;
    const [fresh] = queryDb<{ kek_version: number }>(
      server.dbFile,
      'select kek_version from person_keys where person_id = ?',
      newId,
    );
    expect(fresh?.kek_version).toBe(2);
    expect(await readAll()).toBeGreaterThan(0);

    const current = await cli('keys', 'retire', '--tenant', '44', '--version', '2', '--force');
    expect(current.code).not.toBe(0);
    expect(current.output).toContain('current key');
    const early = await cli('keys', 'retire', '--tenant', '44', '--version', '1');
    expect(early.code).toBe(1);
    expect(early.output).toContain('still depend on v1');

    const blobsBefore = digestOfDir(path.join(server.dataDir, 'blobs'));
    const fieldsBefore = sealedColumns(server.dbFile);
    const rewrap = await cli('keys', 'rewrap', '--tenant', '44');
    expect(rewrap.code, rewrap.output).toBe(0);
    expect(new Set(kekVersions('44'))).toEqual(new Set([2]));
    // Only the 32-byte data keys moved: every document and sealed field is byte-identical.
    expect(digestOfDir(path.join(server.dataDir, 'blobs'))).toBe(blobsBefore);
    expect(sealedColumns(server.dbFile)).toBe(fieldsBefore);

    const retire = await cli('keys', 'retire', '--tenant', '44', '--version', '1');
    expect(retire.code, retire.output).toBe(0);
    expect(await readAll()).toBeGreaterThan(0);
    const status = await cli('keys', 'status', '--tenant', '44');
    expect(status.output).toMatch(/v1\s+retired/);
    expect(status.output).toMatch(/v2\s+current/);
  });

  it('several processes rotating at once lose no version and leave a keyring that opens', async () => {
    const before = (await cli('keys', 'status', '--tenant', '44')).output;
    const versionsBefore = (before.match(/\bv\d+\b/g) ?? []).length;
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        runCli(['keys', 'rotate', '--tenant', '44'], {
          CLOISON_DATA_DIR: server.dataDir,
          CLOISON_MASTER_KEY_FILE: keyFile,
        }),
      ),
    );
    for (const r of runs) expect(r.code, r.output).toBe(0);
    const after = await cli('keys', 'status', '--tenant', '44');
    expect(after.code, after.output).toBe(0);
    expect((after.output.match(/\bv\d+\b/g) ?? []).length).toBe(versionsBefore + 6);
    // The running server follows: a new person lands under the newest version.
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const declared = await usager.post('/api/v1/persons', {
      json: {
        firstName: 'Encore',
        lastName: 'Une',
        birthDate: '2016-04-05',
        mandate: { kind: 'parent', startsOn: '2016-04-05', endsOn: '2034-04-05' },
      },
    });
    expect(declared.status).toBe(201);
    const [row] = queryDb<{ kek_version: number }>(
      server.dbFile,
      'select kek_version from person_keys where person_id = ?',
      (declared.json as { id: string }).id,
    );
    expect(row?.kek_version).toBe(versionsBefore + 6);
  });

  it('a version retired by force makes what depended on it fail loudly, never silently', async () => {
    expect((await cli('keys', 'rotate', '--tenant', '85')).code).toBe(0);
    const forced = await cli('keys', 'retire', '--tenant', '85', '--version', '1', '--force');
    expect(forced.code, forced.output).toBe(0);
    const usager = await new Client(server.baseUrl).login(server.account('usager', '85'));
    const res = await usager.get('/api/v1/cases');
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ type: 'urn:cloison:problem:key-retired' });
    expect(res.text).not.toContain('Martin');
  });
});

describe('an erasure certificate', () => {
  it('says copies stay readable when the master key lives in the data directory (demo)', async () => {
    const server = await startServer();
    try {
      const [person] = queryDb<{ id: string }>(
        server.dbFile,
        'select id from persons where account_id = ?',
        server.account('usager-2').id,
      );
      const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
      const res = await dpo.post(`/api/v1/persons/${person!.id}/erasure`, {
        json: { reason: 'after-migration' },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json).toMatchObject({ tenantKeyRetired: 1, copiesUnreadable: false });
      expect(JSON.stringify(res.json)).toContain('copies that include it stay readable');
    } finally {
      await stopAndRemove(server);
    }
  });
});

describe('a key manager that does not match the database', () => {
  it('is refused at start rather than minting new keys', async () => {
    const keyFile = makeKeyFile();
    const first = await startServer({ env: { CLOISON_MASTER_KEY_FILE: keyFile } });
    await first.stop();
    fs.renameSync(
      path.join(first.dataDir, 'keyring.json'),
      path.join(first.dataDir, 'keyring.bak'),
    );
    await expect(
      startServer({ dataDir: first.dataDir, env: { CLOISON_MASTER_KEY_FILE: keyFile } }),
    ).rejects.toThrow(/wrong keyring, key file or token/);
    fs.rmSync(first.dataDir, { recursive: true, force: true });
  });
});

describe('crypto-shredding', () => {
  let server: RunningServer;
  let keyFile: string;
  let copyDir: string;
  let oldKeyCopy: string;

  beforeAll(async () => {
    keyFile = makeKeyFile();
    server = await startServer({ env: { CLOISON_MASTER_KEY_FILE: keyFile } });
  });
  afterAll(async () => {
    await stopAndRemove(server);
    fs.rmSync(copyDir, { recursive: true, force: true });
  });

  it('erases a person: key destroyed, rows and blobs gone, others untouched, certificate kept', async () => {
    const world = readWorld(server.dbFile);
    const camille = world.persons.find((p) => p.account_id === server.account('usager').id)!;
    const theirCases = world.cases.filter((c) => c.person_id === camille.id).map((c) => c.id);
    const theirBlobs = world.documents
      .filter((d) => theirCases.includes(d.case_id))
      .map((d) => d.storage_key);
    expect(theirBlobs.length).toBeGreaterThan(0);

    // A copy of the whole data directory before the erasure, as a backup would be; and,
    // separately, the master key file as it was (the control below).
    await server.stop();
    copyDir = makeDataDir('cloison-copy-');
    fs.cpSync(server.dataDir, copyDir, { recursive: true });
    oldKeyCopy = path.join(makeDataDir('cloison-oldkey-'), 'master.key');
    fs.copyFileSync(keyFile, oldKeyCopy);
    server = await startServer({
      dataDir: server.dataDir,
      env: { CLOISON_MASTER_KEY_FILE: keyFile },
    });

    const notDpo = await new Client(server.baseUrl).login(server.account('responsable'));
    expect(
      (
        await notDpo.post(`/api/v1/persons/${camille.id}/erasure`, {
          json: { reason: 'right-to-erasure' },
        })
      ).status,
    ).toBe(403);

    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const res = await dpo.post(`/api/v1/persons/${camille.id}/erasure`, {
      json: { reason: 'right-to-erasure', reference: 'DPO-2026-017' },
    });
    expect(res.status, res.text).toBe(201);
    const certificate = res.json as Record<string, unknown>;
    expect(certificate).toMatchObject({
      personId: camille.id,
      reason: 'right-to-erasure',
      requestedBy: server.account('dpo').id,
      tenantKeyRetired: 1,
      copiesUnreadable: true,
    });
    expect(certificate.dataKeyId).toMatch(new RegExp(`^person-key:${camille.id}:v1:kek-v1:`));
    const [stored] = queryDb<{ data_key_id: string }>(
      server.dbFile,
      'select data_key_id from erasure_certificates where person_id = ?',
      camille.id,
    );
    expect(stored?.data_key_id).toBe(certificate.dataKeyId);

    // Live: nothing of them is left, their account is closed, the others still read fine.
    const count = (sql: string) => queryDb<{ n: number }>(server.dbFile, sql, camille.id)[0]!.n;
    expect(count('select count(*) as n from person_keys where person_id = ?')).toBe(0);
    expect(count('select count(*) as n from persons where id = ?')).toBe(0);
    expect(count('select count(*) as n from cases where person_id = ?')).toBe(0);
    const files = listFiles(path.join(server.dataDir, 'blobs'));
    expect(files.filter((f) => theirBlobs.some((k) => f.endsWith(k)))).toEqual([]);
    const login = await new Client(server.baseUrl).post('/api/v1/auth/login', {
      json: { email: server.account('usager').email, password: server.account('usager').password },
    });
    expect(login.status).toBe(401);
    // Nothing of their account lingers in any file, the write-ahead log included.
    const account = server.account('usager');
    for (const { file: f, bytes } of readDataFiles(server.dataDir)) {
      if (f === 'demo-accounts.json') continue; // the demo's own credential list
      expect(bytes.includes(account.email), `e-mail in ${f}`).toBe(false);
      expect(bytes.includes(account.displayName), `name in ${f}`).toBe(false);
    }
    const bruno = await new Client(server.baseUrl).login(server.account('usager-2'));
    const cases = (await bruno.get('/api/v1/cases')).json as { items: unknown[] };
    expect(cases.items.length).toBeGreaterThan(0);
  });

  it('a copy taken before the erasure cannot decrypt the person any more', async () => {
    KEY_FILES.set(path.resolve(copyDir), oldKeyCopy);
    const copyWorldBefore = readWorld(path.join(copyDir, 'cloison.sqlite'));
    const camille = copyWorldBefore.persons.find(
      (p) => p.account_id === server.account('usager').id,
    );
    // Control: with the master key as it was before the erasure, the copy still opens. That is
    // why key-file backups must follow the erasure (README, key management).
    expect(camille?.first_name).toBe('Camille');
    const tenantId = camille!.tenant_id;
    const [row] = queryDb<{ wrapped_key: Buffer; kek_version: number; version: number }>(
      path.join(copyDir, 'cloison.sqlite'),
      'select wrapped_key, kek_version, version from person_keys where person_id = ?',
      camille!.id,
    );
    const ad = aad('person-key', tenantId, camille!.id, row!.version);

    // The copy's own keyring with today's master key: sealed under a key that no longer exists.
    expect(() =>
      LocalKeyManager.open(path.join(copyDir, 'keyring.json'), masterKeyFile(keyFile)),
    ).toThrow(/does not hold/);
    // Today's keyring and master key: the version that wrapped the copy's data key is retired.
    const live = LocalKeyManager.open(
      path.join(server.dataDir, 'keyring.json'),
      masterKeyFile(keyFile),
    );
    await expect(
      live.unwrap(tenantId, row!.kek_version, row!.wrapped_key, ad),
    ).rejects.toBeInstanceOf(KeyRetiredError);
    await live.close();
    // And a server started on the copy with today's key refuses to start rather than guess.
    const copyServer = startServer({ dataDir: copyDir, env: { CLOISON_MASTER_KEY_FILE: keyFile } });
    await expect(copyServer).rejects.toThrow(/does not hold/);
  });
});
