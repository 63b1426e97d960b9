import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { makeDataDir, runCli, startServer, type DemoAccount } from './harness/server.js';
import { Unsealer } from './harness/unseal.js';
import { queryDb } from './harness/world.js';
import { readDataFiles } from './support/storage.js';

/**
 * `cloison demo --scale N`: the normal demo, then N cases over both départements, as the
 * application would have written them: listed over HTTP, the audit chains intact, and no
 * person's name or NIR in clear anywhere in the data directory (THREATS.md T2).
 */

const SCALE = 500;
let dataDir: string;
let plainDir: string;
const dirs: string[] = [];
const dbFile = (dir: string) => path.join(dir, 'cloison.sqlite');
const casesByTenant = (dir: string) =>
  Object.fromEntries(
    queryDb<{ code: string; n: number }>(
      dbFile(dir),
      'select t.code, count(*) as n from cases c join tenants t on t.id = c.tenant_id group by t.code',
    ).map((r) => [r.code, r.n]),
  );

beforeAll(async () => {
  dataDir = makeDataDir();
  plainDir = makeDataDir();
  dirs.push(dataDir, plainDir);
  const [scaled, plain] = await Promise.all([
    runCli(['demo', '--scale', String(SCALE)], { CLOISON_DATA_DIR: dataDir }),
    runCli(['demo'], { CLOISON_DATA_DIR: plainDir }),
  ]);
  expect(scaled.code, scaled.output).toBe(0);
  expect(plain.code, plain.output).toBe(0);
  expect(scaled.output).toMatch(new RegExp(`scale: ${SCALE} cases .* cases/s`));
}, 120_000);
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('cloison demo --scale', () => {
  it(`adds ${SCALE} cases to the normal demo, over both départements`, () => {
    const scaled = casesByTenant(dataDir);
    const plain = casesByTenant(plainDir);
    expect(Object.keys(scaled).sort()).toEqual(['44', '85']);
    const added = Object.keys(plain).map((code) => (scaled[code] ?? 0) - (plain[code] ?? 0));
    expect(added.reduce((a, b) => a + b, 0)).toBe(SCALE);
    // Both départements get a share, MDPH 44 the larger one.
    for (const n of added) expect(n).toBeGreaterThan(SCALE / 4);
    // With their persons (a key each), documents, messages and history.
    const count = (sql: string) => queryDb<{ n: number }>(dbFile(dataDir), sql)[0]!.n;
    const keyless = count(
      'select count(*) as n from persons p left join person_keys k on k.person_id = p.id where k.person_id is null',
    );
    expect(keyless).toBe(0);
    expect(count('select count(*) as n from documents')).toBeGreaterThan(SCALE / 2);
    expect(count('select count(*) as n from messages')).toBeGreaterThan(SCALE / 10);
    expect(count('select count(*) as n from case_transitions')).toBeGreaterThan(SCALE);
    expect(count('select count(*) as n from audit_events')).toBeGreaterThan(SCALE * 5);
  });

  it('leaves every audit chain intact: cloison audit verify passes', async () => {
    const run = await runCli(['audit', 'verify'], { CLOISON_DATA_DIR: dataDir });
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toMatch(/BROKEN/);
    expect(run.output.match(/chain intact/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('writes no seeded name or NIR in clear anywhere in the data directory', () => {
    const db = new Database(dbFile(dataDir), { readonly: true });
    let clear: string[];
    try {
      const unsealer = new Unsealer(db, dataDir);
      // The scale seed's NIRs start with 1 (the demo's with 2): a few of its persons.
      const persons = db
        .prepare('select id, tenant_id, last_name_enc, first_name_enc, nir_enc from persons')
        .all() as Array<{
        id: string;
        tenant_id: string;
        last_name_enc: Buffer;
        first_name_enc: Buffer;
        nir_enc: Buffer | null;
      }>;
      const open = (p: (typeof persons)[number], column: string, sealed: Buffer | null) =>
        unsealer.field(p.tenant_id, p.id, 'persons', column, p.id, sealed);
      const seeded = persons.filter((p) => open(p, 'nir', p.nir_enc)?.startsWith('1'));
      expect(seeded.length).toBeGreaterThan(SCALE / 2);
      clear = seeded
        .slice(0, 5)
        .flatMap((p) => [open(p, 'nir', p.nir_enc)!, open(p, 'last_name', p.last_name_enc)!]);
    } finally {
      db.close();
    }
    const files = readDataFiles(dataDir);
    for (const value of clear) {
      const hits = files.filter((f) => f.bytes.includes(Buffer.from(value, 'utf8')));
      expect(
        hits.map((f) => f.file),
        value,
      ).toEqual([]);
    }
    // Control: the scanner does find what is stored in clear (a staff e-mail address).
    const control = Buffer.from('instructeur.44@demo.cloison.test', 'utf8');
    expect(files.some((f) => f.file === 'cloison.sqlite' && f.bytes.includes(control))).toBe(true);
  });

  it('serves them: the instructeur lists a full page of their team’s queue over HTTP', async () => {
    const server = await startServer({ dataDir });
    try {
      const account = server.account('instructeur') as DemoAccount;
      const client = await new Client(server.baseUrl).login(account);
      const page = await client.request('GET', '/api/v1/cases?limit=100');
      expect(page.status, page.text).toBe(200);
      const items = (page.json as { items: Array<{ team: string | null; updatedAt: string }> })
        .items;
      expect(items).toHaveLength(100);
      expect(items.every((c) => c.team === 'equipe-nord')).toBe(true);
      const times = items.map((c) => c.updatedAt);
      expect([...times].sort().reverse()).toEqual(times);
      const next = await client.request('GET', '/api/v1/cases?limit=100&offset=100');
      expect(next.status).toBe(200);
      expect((next.json as { items: unknown[] }).items.length).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it.each([['0'], ['-3'], ['abc'], ['2.5'], ['1000001'], ['1e3'], ['']])(
    'refuses --scale=%s with a usage line (exit 64), writing nothing',
    async (value) => {
      const dir = makeDataDir();
      dirs.push(dir);
      const run = await runCli(['demo', `--scale=${value}`], { CLOISON_DATA_DIR: dir });
      expect(run.code, run.output).toBe(64);
      expect(run.output).toMatch(/usage: cloison demo \[--scale N\]/);
      expect(fs.existsSync(dbFile(dir))).toBe(false);
    },
  );

  it('refuses --scale without a number (exit 64)', async () => {
    const dir = makeDataDir();
    dirs.push(dir);
    const run = await runCli(['demo', '--scale'], { CLOISON_DATA_DIR: dir });
    expect(run.code, run.output).toBe(64);
  });
});
