import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aad } from '../src/crypto/aead.js';
import { KeyRetiredError } from '../src/crypto/key-manager.js';
import { LocalKeyManager } from '../src/crypto/local-key-manager.js';
import { masterKeyFile } from '../src/crypto/master-key.js';
import { samplePdf } from '../src/modules/documents/sample-files.js';
import { Client, fileForm } from './harness/client.js';
import {
  ONE_BUSY_ACCOUNT,
  makeDataDir,
  makeKeyFile,
  runCli,
  startServer,
  type RunningServer,
} from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * `cloison backup`, `backup verify` and `restore` against real processes and files (THREATS.md
 * T2: a backup holds nothing in clear; T4: an erasure reaches the backups taken before it). The
 * server's master key lives outside its data directory, as in production; the age identity is
 * made by Debian's age-keygen, and Debian's age decrypts the backup: an implementation
 * independent of Cloison's.
 */

const tag = randomBytes(6).toString('hex');
const canary = (what: string) => `CANARY${what}${tag}`;
const C = {
  firstName: canary('Prenom'),
  lastName: canary('Nom'),
  nir: `1${String(randomInt(10, 99))}0344${String(randomInt(100000, 999999))}${String(randomInt(10, 99))}`,
  fileName: `${canary('Fichier')}.pdf`,
  pdfText: canary('ContenuPdf'),
};

/** Whether the bytes hold the value as UTF-8, UTF-16 or base64 (as encryption-at-rest searches). */
function holds(bytes: Buffer, value: string): boolean {
  return [
    Buffer.from(value, 'utf8'),
    Buffer.from(value, 'utf16le'),
    Buffer.from(Buffer.from(value).toString('base64').slice(0, -4), 'utf8'),
  ].some((needle) => bytes.includes(needle));
}

/** Directories the tests make, removed at the end. */
const made: string[] = [];
const tempDir = (): string => {
  const dir = makeDataDir();
  made.push(dir);
  return dir;
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let work: string;
let identity: string;
let recipient: string;
let keyFile: string;
let server: RunningServer;
let backup: string;
let env: Record<string, string>;
/** Document ids that existed before the backup started: the backup must hold every one. */
let documentsBefore: string[];

beforeAll(async () => {
  work = makeDataDir('cloison-backup-');
  identity = path.join(work, 'identity.txt');
  execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
  recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity]).toString().trim();
  keyFile = makeKeyFile();
  server = await startServer({ env: { CLOISON_MASTER_KEY_FILE: keyFile, ...ONE_BUSY_ACCOUNT } });
  env = { CLOISON_DATA_DIR: server.dataDir, CLOISON_MASTER_KEY_FILE: keyFile };
  backup = path.join(work, 'cloison.age');

  // Canaries: a represented person (names, NIR) and a document (name, content).
  const usager = await new Client(server.baseUrl).login(server.account('usager'));
  const declared = await usager.post('/api/v1/persons', {
    json: {
      firstName: C.firstName,
      lastName: C.lastName,
      birthDate: '1990-02-11',
      nir: C.nir,
      mandate: { kind: 'parent', startsOn: '2020-01-01', endsOn: '2030-05-17' },
    },
  });
  expect(declared.status, declared.text).toBe(201);
  const up = await usager.post(`/api/v1/cases/${draftCaseId()}/documents?category=other`, {
    body: fileForm(samplePdf(C.pdfText), C.fileName, 'application/pdf'),
  });
  expect(up.status, up.text).toBe(201);
});
afterAll(async () => {
  await stopAndRemove(server);
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(path.dirname(keyFile), { recursive: true, force: true });
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function draftCaseId(): string {
  const world = readWorld(server.dbFile);
  const own = world.persons.find((p) => p.account_id === server.account('usager').id)!;
  return world.cases.find((c) => c.person_id === own.id && c.status === 'brouillon')!.id;
}

/** The usager's cases and, for each document, its bytes' SHA-256 as downloaded. */
async function holdings(baseUrl: string): Promise<Map<string, string>> {
  const usager = await new Client(baseUrl).login(server.account('usager'));
  const cases = await usager.get('/api/v1/cases');
  expect(cases.status, cases.text).toBe(200);
  const out = new Map<string, string>();
  for (const c of (cases.json as { items: Array<{ id: string }> }).items) {
    out.set(`case:${c.id}`, '');
    const list = await usager.get(`/api/v1/cases/${c.id}/documents`);
    expect(list.status).toBe(200);
    for (const d of (list.json as { items: Array<{ id: string; sha256: string }> }).items) {
      const file = await usager.get(`/api/v1/documents/${d.id}/content`);
      expect(file.status).toBe(200);
      expect(sha256(file.bytes)).toBe(d.sha256);
      out.set(d.id, d.sha256);
    }
  }
  return out;
}

/** Restores `file` into a new directory; returns the CLI's result and the directory. */
async function restoreInto(file: string, dir = path.join(tempDir(), 'restored')) {
  const run = await runCli(['restore', '--from', file, '--identity', identity], {
    CLOISON_DATA_DIR: dir,
    CLOISON_MASTER_KEY_FILE: keyFile,
  });
  return { ...run, dir };
}

/** Staging directories a restore may have left beside its target. */
const leftovers = (dir: string) =>
  fs.readdirSync(path.dirname(dir)).filter((n) => n.includes('.restore-'));

describe('a backup taken while the server works', () => {
  it('is written atomically while a client keeps uploading, and says what it holds', async () => {
    documentsBefore = queryDb<{ id: string }>(server.dbFile, 'select id from documents').map(
      (r) => r.id,
    );
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const draft = draftCaseId();
    let running = true;
    let uploaded = 0;
    const uploads = (async () => {
      while (running) {
        const res = await usager.post(`/api/v1/cases/${draft}/documents?category=other`, {
          body: fileForm(
            samplePdf(`pendant la sauvegarde ${uploaded}`),
            'piece.pdf',
            'application/pdf',
          ),
        });
        expect(res.status, res.text).toBe(201);
        uploaded += 1;
      }
    })();
    // Some uploads land before the backup starts, so it surely races live writes.
    while (uploaded < 3) await new Promise((r) => setTimeout(r, 20));
    const atStart = uploaded;
    const run = await runCli(['backup', '--out', backup, '--recipient', recipient], env);
    const during = uploaded - atStart;
    running = false;
    await uploads;
    expect(run.code, run.output).toBe(0);
    expect(during, 'uploads answered 201 while the backup ran').toBeGreaterThan(0);
    expect(run.output).toMatch(
      new RegExp(
        `^backup written: ${backup}, \\d+ bytes, 2 tenants \\(44, 85\\), .* sha256 [0-9a-f]{64}\\n$`,
      ),
    );
    const [, digest] = /sha256 ([0-9a-f]{64})/.exec(run.output)!;
    expect(digest).toBe(sha256(fs.readFileSync(backup)));
    expect(fs.statSync(backup).mode & 0o777).toBe(0o600);
    // Nothing left behind: no .part, no snapshot in the data directory.
    expect(fs.readdirSync(work).filter((n) => n.endsWith('.part'))).toEqual([]);
    expect(fs.readdirSync(server.dataDir).filter((n) => n.startsWith('.backup-'))).toEqual([]);
  });

  it('is refused with a one-line reason (exit 64) without a valid recipient', async () => {
    const out = path.join(work, 'never.age');
    const bad = await runCli(['backup', '--out', out, '--recipient', 'age1nope'], env);
    expect(bad.code).toBe(64);
    expect(bad.output.trim().split('\n')).toHaveLength(1);
    const none = await runCli(['backup', '--out', out], env);
    expect(none.code).toBe(64);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('verifies, and Debian age decrypts it: the entries tar lists are the manifest', async () => {
    const run = await runCli(['backup', 'verify', backup, '--identity', identity], {});
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^backup intact: .* match the manifest, database integrity ok/);

    // The whole archive goes through stdout once (-xO): far more than the default 1 MB buffer.
    const age = (tarArgs: string) =>
      execFileSync(
        'bash',
        ['-o', 'pipefail', '-c', `/usr/bin/age -d -i "${identity}" "${backup}" | tar ${tarArgs}`],
        { maxBuffer: 512 * 1024 * 1024 },
      );
    const names = age('-t').toString().trim().split('\n');
    expect(names[0]).toBe('cloison.sqlite');
    expect(names[1]).toBe('keyring.json');
    expect(names.slice(-2)).toEqual(['MANIFEST.json', 'MANIFEST.seal']);
    expect(names.slice(2, -2).every((n) => /^blobs\/[0-9a-f]{2}\/[0-9a-f]{32}$/.test(n))).toBe(
      true,
    );
    const manifest = JSON.parse(age('-xO MANIFEST.json').toString()) as {
      entries: Array<{ path: string; sha256: string }>;
      counts: { documents: number; mandateProofs: number; blobs: number };
      masterKeyId: string;
      keyManager: string;
    };
    expect(manifest.entries.map((e) => e.path)).toEqual(names.slice(0, -2));
    // Every blob is a document's or a mandate proof's.
    expect(manifest.counts.blobs).toBe(manifest.counts.documents + manifest.counts.mandateProofs);
    expect(manifest.keyManager).toBe('local');
    expect(manifest.masterKeyId).toMatch(/^mk-[0-9a-f]{16}$/);
    const db = age('-xO cloison.sqlite');
    expect(sha256(db)).toBe(manifest.entries[0]!.sha256);
    // Every document that existed before the backup started is in it, with its blob.
    const blobs = new Set(names.map((n) => path.basename(n)));
    const keys = queryDb<{ id: string; storage_key: string }>(
      server.dbFile,
      'select id, storage_key from documents',
    );
    for (const id of documentsBefore) {
      expect(blobs.has(keys.find((k) => k.id === id)!.storage_key)).toBe(true);
    }

    // The decrypted archive holds no master key, no demo credentials, no lock, no WAL.
    const clear = age('-xO');
    const master = fs.readFileSync(keyFile, 'utf8').trim();
    expect(holds(clear, master)).toBe(false);
    expect(clear.includes(Buffer.from(master, 'base64'))).toBe(false);
    expect(names.some((n) => /demo-accounts|master\.key|lock|-wal|-shm/.test(n))).toBe(false);
  });

  it('holds no canary, and not even what the database keeps in clear', () => {
    const bytes = fs.readFileSync(backup);
    const hits = Object.entries({ ...C, nirCore: C.nir.slice(0, 13) }).filter(([, v]) =>
      holds(bytes, v),
    );
    expect(hits).toEqual([]);
    // Control: e-mail addresses are stored in clear in the database, and the backup hides them.
    const email = server.account('usager').email;
    expect(holds(fs.readFileSync(server.dbFile), email)).toBe(true);
    expect(holds(bytes, email)).toBe(false);
  });
});

describe('restoring', () => {
  let restored: RunningServer | undefined;
  afterAll(async () => {
    if (restored) await stopAndRemove(restored);
  });

  it('into a new directory: same cases, same document bytes, audit chain intact', async () => {
    const run = await restoreInto(backup);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^restored .* 2 tenants \(44, 85\)/);
    expect(run.output).toContain('keys: the configured master key opens the restored keyring');
    expect(leftovers(run.dir)).toEqual([]);
    expect(fs.statSync(path.join(run.dir, 'keyring.json')).mode & 0o777).toBe(0o600);

    restored = await startServer({
      dataDir: run.dir,
      demo: false,
      env: { CLOISON_MASTER_KEY_FILE: keyFile },
    });
    const copy = await holdings(restored.baseUrl);
    const live = await holdings(server.baseUrl);
    // Cases are the same; documents are those of the snapshot, each byte for byte as served live.
    const cases = (m: Map<string, string>) => [...m.keys()].filter((k) => k.startsWith('case:'));
    expect(cases(copy)).toEqual(cases(live));
    for (const [id, digest] of copy) expect(live.get(id)).toBe(digest);
    for (const id of documentsBefore) {
      if (live.has(id)) expect(copy.get(id)).toBe(live.get(id));
    }
    const audit = await runCli(['audit', 'verify'], {
      CLOISON_DATA_DIR: run.dir,
      CLOISON_MASTER_KEY_FILE: keyFile,
      LOG_LEVEL: 'error',
    });
    expect(audit.code, audit.output).toBe(0);
    expect(audit.output).toContain('chain intact');
  });

  const damaged: Array<[string, (b: Buffer) => Buffer, RegExp]> = [
    [
      'one flipped byte in the middle',
      (b) => {
        const c = Buffer.from(b);
        c[Math.floor(c.length / 2)]! ^= 0x01;
        return c;
      },
      /damaged, altered or truncated/,
    ],
    ['a truncated file', (b) => b.subarray(0, b.length - 1000), /damaged, altered or truncated/],
  ];
  for (const [what, damage, reason] of damaged) {
    it(`${what}: verify says why, restore leaves the target empty`, async () => {
      const file = path.join(work, `damaged-${randomBytes(3).toString('hex')}.age`);
      fs.writeFileSync(file, damage(fs.readFileSync(backup)));
      const verify = await runCli(['backup', 'verify', file, '--identity', identity], {});
      expect(verify.code).toBe(1);
      expect(verify.output).toMatch(reason);
      expect(verify.output.trim().split('\n')).toHaveLength(1);
      const empty = tempDir();
      const run = await restoreInto(file, empty);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(reason);
      expect(fs.readdirSync(empty)).toEqual([]);
      expect(leftovers(empty)).toEqual([]);
      const absent = await restoreInto(file);
      expect(absent.code).toBe(1);
      expect(fs.existsSync(absent.dir)).toBe(false);
      expect(leftovers(absent.dir)).toEqual([]);
    });
  }

  it('a wrong identity: verify says so, restore refuses and leaves the target empty', async () => {
    const other = path.join(work, 'other-identity.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', other], { stdio: 'ignore' });
    const verify = await runCli(['backup', 'verify', backup, '--identity', other], {});
    expect(verify.code).toBe(1);
    expect(verify.output).toMatch(/wrong identity/);
    const empty = tempDir();
    const run = await runCli(['restore', '--from', backup, '--identity', other], {
      CLOISON_DATA_DIR: empty,
    });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/wrong identity/);
    expect(fs.readdirSync(empty)).toEqual([]);
    expect(leftovers(empty)).toEqual([]);
  });

  it('into a directory that holds anything: refused, nothing touched', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
    const run = await restoreInto(backup, dir);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/is not empty/);
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('a backup this platform did not make', () => {
  /**
   * Takes the backup apart with Debian's age and tar, lets `alter` change its files, rewrites the
   * manifest to match them and packs it again for the public recipient: what anyone who knows
   * the recipient (and once held the identity) could do.
   */
  function forge(alter: (dir: string) => void, keepSeal: boolean): string {
    const dir = path.join(tempDir(), 'forged');
    fs.mkdirSync(dir);
    const sh = (script: string) => execFileSync('bash', ['-o', 'pipefail', '-c', script]);
    sh(`/usr/bin/age -d -i "${identity}" "${backup}" | tar -x -C "${dir}"`);
    alter(dir);
    const manifestFile = path.join(dir, 'MANIFEST.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
      entries: Array<{ path: string; size: number; sha256: string }>;
    };
    for (const e of manifest.entries) {
      const bytes = fs.readFileSync(path.join(dir, e.path));
      e.size = bytes.length;
      e.sha256 = sha256(bytes);
    }
    fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 1)}\n`);
    const names = [...manifest.entries.map((e) => e.path), 'MANIFEST.json'];
    if (keepSeal) names.push('MANIFEST.seal');
    const out = path.join(dir, '..', 'forged.age');
    fs.writeFileSync(path.join(dir, '..', 'names.txt'), `${names.join('\n')}\n`);
    sh(
      `tar -c -C "${dir}" -T "${path.join(dir, '..', 'names.txt')}" | /usr/bin/age -r ${recipient} -o "${out}"`,
    );
    return out;
  }

  it('an altered database with a manifest to match: the seal gives it away, nothing restored', async () => {
    const forged = forge((dir) => {
      writeDb(
        path.join(dir, 'cloison.sqlite'),
        "update accounts set email = 'mallory@evil.example' where kind = 'operateur'",
      );
    }, true);
    const run = await restoreInto(forged);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/not the one this platform sealed/);
    expect(fs.existsSync(run.dir)).toBe(false);
    expect(leftovers(run.dir)).toEqual([]);
  });

  it('an archive without a seal: verify and restore both refuse it', async () => {
    const forged = forge(() => undefined, false);
    const verify = await runCli(['backup', 'verify', forged, '--identity', identity], {});
    expect(verify.code, verify.output).toBe(1);
    expect(verify.output).toMatch(/no seal/);
    const run = await restoreInto(forged);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/no seal/);
    expect(fs.existsSync(run.dir)).toBe(false);
  });
});

describe('an erasure after the backup (T4)', () => {
  it("makes the erased person's data key in the earlier backup impossible to unwrap", async () => {
    const account = server.account('usager');
    const [person] = queryDb<{ id: string; tenant_id: string }>(
      server.dbFile,
      'select id, tenant_id from persons where account_id = ?',
      account.id,
    );
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const erased = await dpo.post(`/api/v1/persons/${person!.id}/erasure`, {
      json: { reason: 'right-to-erasure' },
    });
    expect(erased.status, erased.text).toBe(201);
    expect(erased.json).toMatchObject({ copiesUnreadable: true });

    const run = await restoreInto(backup);
    // Restore cannot even authenticate it: the keyring it holds is sealed under a master key the
    // ratcheted file no longer holds. Nothing is put in place.
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain('cannot authenticate this backup');
    expect(run.output).toMatch(/does not hold/);
    expect(fs.existsSync(run.dir)).toBe(false);

    // Whoever holds the age identity and takes the archive apart by hand gets no further. The
    // person is in the database it holds, with a wrapped data key…
    const raw = path.join(tempDir(), 'raw');
    fs.mkdirSync(raw);
    execFileSync('bash', [
      '-o',
      'pipefail',
      '-c',
      `/usr/bin/age -d -i "${identity}" "${backup}" | tar -x -C "${raw}"`,
    ]);
    const db = path.join(raw, 'cloison.sqlite');
    const [row] = queryDb<{ wrapped_key: Buffer; kek_version: number; version: number }>(
      db,
      'select wrapped_key, kek_version, version from person_keys where person_id = ?',
      person!.id,
    );
    expect(row).toBeDefined();
    // …that neither the archived keyring (sealed under a master key the ratcheted file no longer
    // holds) nor today's keyring (that tenant key version is retired) can unwrap.
    expect(() =>
      LocalKeyManager.open(path.join(raw, 'keyring.json'), masterKeyFile(keyFile)),
    ).toThrow(/does not hold/);
    const live = LocalKeyManager.open(
      path.join(server.dataDir, 'keyring.json'),
      masterKeyFile(keyFile),
    );
    const ad = aad('person-key', person!.tenant_id, person!.id, row!.version);
    await expect(
      live.unwrap(person!.tenant_id, row!.kek_version, row!.wrapped_key, ad),
    ).rejects.toBeInstanceOf(KeyRetiredError);
    await live.close();
    // A server on that copy with today's master key file refuses to start (exit 78).
    for (const f of ['MANIFEST.json', 'MANIFEST.seal']) fs.rmSync(path.join(raw, f));
    await expect(
      startServer({ dataDir: raw, demo: false, env: { CLOISON_MASTER_KEY_FILE: keyFile } }),
    ).rejects.toThrow(/exited with 78[\s\S]*does not hold/);
  });
});
