import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client } from './harness/client.js';
import { runCli, startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { problemSlug } from './support/problem.js';
import { readDataFiles, stopAndRemove } from './support/storage.js';

/**
 * THREATS.md T3, the run: an approved instruction's output is a tar stream encrypted to the
 * recipient, opened here by Debian's `age` (an implementation independent of ours) with the
 * recipient's identity. It holds exactly the instructed fields and categories of exactly the
 * scoped cases, a manifest of every entry's SHA-256 signed by the département's published key,
 * and without the key no canary of any person appears in it or anywhere in the data directory.
 */

let server: RunningServer;
let world: World;
let work: string;
let identity: string;
let recipient: string;

const login = (label: string, tenant = '44') =>
  new Client(server.baseUrl).login(server.account(label, tenant));

const FIELDS = ['case.reference', 'case.status', 'case.decisions', 'person.lastName'];
const CATEGORIES = ['decision', 'identity'];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-export-'));
  identity = path.join(work, 'recipient.txt');
  execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
  recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity]).toString().trim();
  // A signed checkpoint soon: it publishes the key the manifest is checked with.
  server = await startServer({ env: { CLOISON_AUDIT_CHECKPOINT_SECONDS: '1' } });
  world = readWorld(server.dbFile);
});
afterAll(async () => {
  await stopAndRemove(server);
  fs.rmSync(work, { recursive: true, force: true });
});

async function orderAndApprove(over: Record<string, unknown> = {}): Promise<string> {
  const responsable = await login('responsable');
  const created = await responsable.post('/api/v1/export-instructions', {
    json: {
      kind: 'export',
      purpose: 'Transmission des décisions notifiées au service statistique',
      legalBasis: 'Mission d’intérêt public (RGPD art. 6.1.e)',
      recipient: {
        name: 'Service statistique',
        contact: 'stats@cd44.example.fr',
        ageRecipient: recipient,
      },
      scope: { statuses: ['notifie'] },
      fields: FIELDS,
      documentCategories: CATEGORIES,
      expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      ...over,
    },
  });
  expect(created.status, created.text).toBe(201);
  const { id } = created.json as { id: string };
  const approved = await (await login('dpo')).post(`/api/v1/export-instructions/${id}/approval`);
  expect(approved.status, approved.text).toBe(200);
  return id;
}

async function waitReady(id: string): Promise<Record<string, unknown>> {
  const responsable = await login('responsable');
  let view: Record<string, unknown> = {};
  await vi.waitFor(
    async () => {
      view = (await responsable.get(`/api/v1/export-instructions/${id}`)).json as typeof view;
      expect(view.status).toBe('ready');
    },
    { timeout: 30_000, interval: 250 },
  );
  return view;
}

function untar(file: string): string {
  const out = path.join(work, path.basename(file, '.age'));
  fs.mkdirSync(out);
  const clear = execFileSync('/usr/bin/age', ['-d', '-i', identity, file]);
  fs.writeFileSync(`${out}.tar`, clear);
  execFileSync('tar', ['-xf', `${out}.tar`, '-C', out]);
  fs.rmSync(`${out}.tar`);
  return out;
}

const jsonLines = (dir: string, sub: string): Array<Record<string, unknown>> =>
  fs.existsSync(path.join(dir, sub))
    ? fs
        .readdirSync(path.join(dir, sub))
        .filter((f) => f.endsWith('.jsonl'))
        .flatMap((f) =>
          fs
            .readFileSync(path.join(dir, sub, f), 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        )
    : [];

describe('an export run (T3)', () => {
  let id: string;
  let file: string;
  let dir: string;

  it('produces, once approved, a file the recipient opens with age, holding exactly the scope', async () => {
    id = await orderAndApprove();
    const view = await waitReady(id);
    expect(view.run).toMatchObject({
      failure: null,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const res = await (await login('responsable')).get(`/api/v1/exports/${id}/content`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    file = path.join(work, `${id}.age`);
    fs.writeFileSync(file, res.bytes);
    dir = untar(file);

    const t44 = world.tenants.find((t) => t.code === '44')!.id;
    const scoped = world.cases.filter((c) => c.tenant_id === t44 && c.status === 'notifie');
    expect(scoped.length).toBeGreaterThan(0);
    const cases = jsonLines(dir, 'cases');
    expect(cases.map((c) => c.id).sort()).toEqual(scoped.map((c) => c.id).sort());
    for (const c of cases)
      expect(Object.keys(c).sort()).toEqual(['id', 'personId', 'reference', 'status']);
    const persons = jsonLines(dir, 'persons');
    expect(persons.map((p) => p.id).sort()).toEqual(
      [...new Set(scoped.map((c) => c.person_id))].sort(),
    );
    for (const p of persons) {
      expect(Object.keys(p).sort()).toEqual(['id', 'lastName']);
      expect(p.lastName).toBe(world.persons.find((x) => x.id === p.id)!.last_name);
    }
    expect(jsonLines(dir, 'decisions').length).toBeGreaterThan(0);
    // Nothing that was not instructed: no messages, notes, history, nor other categories.
    const top = fs.readdirSync(dir).sort();
    expect(top).toEqual([
      'MANIFEST.json',
      'MANIFEST.sig',
      'cases',
      'decisions',
      'documents',
      'persons',
    ]);
    const documents = jsonLines(dir, 'documents');
    expect(documents.length).toBeGreaterThan(0);
    const expectedDocs = queryDb<{ id: string; case_id: string }>(
      server.dbFile,
      `select id, case_id from documents where superseded_by is null and review_status != 'rejected'
         and category in ('decision', 'identity')`,
    ).filter((d) => scoped.some((c) => c.id === d.case_id));
    expect(documents.map((d) => d.id).sort()).toEqual(expectedDocs.map((d) => d.id).sort());
    for (const d of documents) {
      expect(CATEGORIES).toContain(d.category);
      // The original file name often names the person: no field of the catalogue carries it.
      expect(d).not.toHaveProperty('name');
      expect(fs.statSync(path.join(dir, `documents/${String(d.id)}`)).size).toBe(d.size);
    }
    // The persons' other fields are nowhere in the clear output.
    const everything = allFiles(dir)
      .map((f) => fs.readFileSync(f).toString('latin1'))
      .join('\n');
    for (const c of scoped) {
      const p = world.persons.find((x) => x.id === c.person_id)!;
      expect(everything).not.toContain(p.first_name);
      if (p.nir) expect(everything).not.toContain(p.nir);
      expect(everything).not.toContain(p.birth_date);
    }
  });

  it('lists every entry with its SHA-256 in a manifest the département’s published key signs', async () => {
    const manifestBytes = fs.readFileSync(path.join(dir, 'MANIFEST.json'));
    const manifest = JSON.parse(manifestBytes.toString()) as {
      instruction: { id: string; fields: string[] };
      entries: Array<{ path: string; size: number; sha256: string }>;
    };
    expect(manifest.instruction).toMatchObject({ id, fields: FIELDS });
    const listed = manifest.entries.map((e) => e.path).sort();
    const present = allFiles(dir)
      .map((f) => path.relative(dir, f))
      .filter((f) => !f.startsWith('MANIFEST'))
      .sort();
    expect(listed).toEqual(present);
    for (const e of manifest.entries) {
      const bytes = fs.readFileSync(path.join(dir, e.path));
      expect(bytes.length).toBe(e.size);
      expect(sha256(bytes)).toBe(e.sha256);
    }
    // The key comes from the audit log's published checkpoint, not from the file itself.
    const dpo = await login('dpo');
    let publicKey = '';
    await vi.waitFor(
      async () => {
        const res = await dpo.get('/api/v1/audit/checkpoint');
        expect(res.status, res.text).toBe(200);
        publicKey = (res.json as { publicKey: string }).publicKey;
      },
      { timeout: 30_000, interval: 250 },
    );
    const key = createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: Buffer.from(publicKey, 'base64').toString('base64url'),
      },
      format: 'jwk',
    });
    const sig = JSON.parse(fs.readFileSync(path.join(dir, 'MANIFEST.sig'), 'utf8')) as {
      signature: string;
    };
    const signature = Buffer.from(sig.signature, 'base64');
    // Signed under its own context, so that no other statement of the key passes for it.
    const signed = (bytes: Buffer) =>
      Buffer.concat([Buffer.from('cloison export-manifest v1\n'), bytes]);
    expect(verify(null, signed(manifestBytes), key, signature)).toBe(true);
    expect(verify(null, manifestBytes, key, signature)).toBe(false);
    const altered = Buffer.from(manifestBytes);
    altered[altered.length - 3] = altered.at(-3)! ^ 1;
    expect(verify(null, signed(altered), key, signature)).toBe(false);
  });

  it('is useless without the recipient’s key: no canary in the file, nor in the data directory', () => {
    const t44 = world.tenants.find((t) => t.code === '44')!.id;
    // Sealed everywhere at rest: the NIRs and the requests' situations of the département.
    const sealed = [
      ...world.persons.filter((p) => p.tenant_id === t44).map((p) => p.nir ?? ''),
      ...world.cases.filter((c) => c.tenant_id === t44).map((c) => c.summary ?? ''),
    ].filter((v) => v.length >= 8);
    // What the export holds in its clear form: the last names it was instructed to carry.
    const exported = jsonLines(dir, 'persons').map((p) => String(p.lastName));
    expect(sealed.length).toBeGreaterThan(4);
    expect(exported.length).toBeGreaterThan(0);
    const encrypted = fs.readFileSync(file);
    for (const canary of [...sealed, ...exported]) {
      expect(encrypted.includes(canary), canary).toBe(false);
    }
    for (const { file: f, bytes } of readDataFiles(server.dataDir)) {
      if (f === 'demo-accounts.json') continue;
      for (const canary of sealed) expect(bytes.includes(canary), `${canary} in ${f}`).toBe(false);
      // The export's own file, as kept for its orderer, is the encrypted one.
      if (f.startsWith('exports')) {
        for (const canary of exported)
          expect(bytes.includes(canary), `${canary} in ${f}`).toBe(false);
      }
    }
    expect(readDataFiles(server.dataDir).map((f) => f.file)).toContain(`exports/${id}.age`);
  });

  it('is verified by `cloison exports verify`, and refused when one byte is changed', async () => {
    const env = { CLOISON_DATA_DIR: server.dataDir };
    const ok = await runCli(['exports', 'verify', file, '--identity', identity], env);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(/^export intact: \d+ entries match the signed manifest/);
    expect(ok.output).toContain(`fields: ${FIELDS.join(', ')}`);
    expect(ok.output).toContain('document categories: decision, identity');
    // What the recipient sends back for a migration, printed for them.
    const manifestSha256 = createHash('sha256')
      .update(fs.readFileSync(path.join(dir, 'MANIFEST.json')))
      .digest('hex');
    expect(ok.output).toContain(`manifest sha256: ${manifestSha256}`);
    expect(ok.output).toMatch(/^receipt: [0-9a-f]{32}$/m);

    // Away from the platform, with the key its checkpoint publishes.
    const publicKey = (
      (await (await login('dpo')).get('/api/v1/audit/checkpoint')).json as { publicKey: string }
    ).publicKey;
    const away = await runCli(
      ['exports', 'verify', file, '--identity', identity, '--public-key', publicKey],
      { CLOISON_DATA_DIR: path.join(work, 'elsewhere') },
    );
    expect(away.code, away.output).toBe(0);
    const otherKey = Buffer.alloc(32, 7).toString('base64');
    const distrusted = await runCli(
      ['exports', 'verify', file, '--identity', identity, '--public-key', otherKey],
      env,
    );
    expect(distrusted.code).toBe(1);
    expect(distrusted.output).toMatch(/does not trust/);

    const altered = path.join(work, 'altered.age');
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] = bytes.at(Math.floor(bytes.length / 2))! ^ 1;
    fs.writeFileSync(altered, bytes);
    const bad = await runCli(['exports', 'verify', altered, '--identity', identity], env);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/^export not intact: /);

    const stranger = path.join(work, 'stranger.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', stranger], { stdio: 'ignore' });
    const wrong = await runCli(['exports', 'verify', file, '--identity', stranger], env);
    expect(wrong.code).toBe(1);
    expect(wrong.output).toMatch(/wrong key/);

    const list = await runCli(['exports', 'list'], env);
    expect(list.code, list.output).toBe(0);
    expect(list.output).toContain(id);
  });

  it('goes to its orderer only, is never run twice, and is deleted at its expiry', async () => {
    const missing = crypto.randomUUID();
    const admin = await login('admin');
    const foreign = await admin.get(`/api/v1/exports/${id}/content`);
    const none = await admin.get(`/api/v1/exports/${missing}/content`);
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(none.text);
    expect((await (await login('dpo')).get(`/api/v1/exports/${id}/content`)).status).toBe(403);
    expect(
      problemSlug(await (await login('dpo')).post(`/api/v1/export-instructions/${id}/approval`)),
    ).toBe('instruction-not-pending');
    const produced = queryDb<{ n: number }>(
      server.dbFile,
      "select count(*) as n from security_events where kind = 'export.produced' and object_id = ?",
      id,
    )[0]!.n;
    expect(produced).toBe(1);
    // The download is in the audit log under its own action, which the bulk-download rule counts.
    const audited = queryDb<{ n: number }>(
      server.dbFile,
      "select count(*) as n from audit_events where json_extract(entry, '$.action') = 'export.download' and json_extract(entry, '$.outcome') = 'allowed'",
    )[0]!.n;
    expect(audited).toBeGreaterThanOrEqual(1);

    const exportPath = path.join(server.dataDir, 'exports', `${id}.age`);
    expect(fs.existsSync(exportPath)).toBe(true);
    const dataDir = server.dataDir;
    await server.stop();
    server = await startServer({ dataDir, env: { CLOISON_CLOCK_OFFSET: '15d' } });
    await vi.waitFor(() => expect(fs.existsSync(exportPath)).toBe(false), {
      timeout: 30_000,
      interval: 250,
    });
    const responsable = await login('responsable');
    const seen = (await responsable.get(`/api/v1/export-instructions/${id}`)).json;
    expect(seen).toMatchObject({ status: 'expired', run: { fileDeletedAt: expect.any(String) } });
    expect(problemSlug(await responsable.get(`/api/v1/exports/${id}/content`))).toBe(
      'export-not-available',
    );
  });
});

function allFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
