import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database as Schema } from '../src/db/schema.js';
import { listPersonKeysOf } from '../src/crypto/wrapped-key.repository.js';
import {
  caseListQuery,
  listSubjectNames,
  type CaseListFilter,
} from '../src/modules/cases/case.repository.js';
import type { Actor } from '../src/policy/actor.js';
import { caseScope } from '../src/policy/case.policy.js';
import { makeDataDir, runCli, type DemoAccount } from './harness/server.js';

/**
 * The case queue on a département's volume: the statement the server runs for GET
 * /api/v1/cases, built by the same repository function for each role, explained by SQLite on a
 * real database (the demo and a few thousand more cases, seeded by `cloison demo --scale`).
 * The first page must never scan the cases table, nor sort a whole tenant's cases to keep 50.
 */

const SCALE = 3_000;
let dataDir: string;
let db: Database.Database;
let accounts: DemoAccount[];
let tenantIds: Record<string, string>;

/** Compiles only: the statement is run below, through better-sqlite3, behind EXPLAIN. */
const compiler = new Kysely<Schema>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new SqliteIntrospector(k),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

const FIRST_PAGE: CaseListFilter = { sort: 'updated', unassigned: false, limit: 50, offset: 0 };

function actorOf(a: DemoAccount): Actor {
  const tenantId = tenantIds[a.tenant!]!;
  if (a.kind === 'usager') return { kind: 'usager', accountId: a.id, tenantId };
  return {
    kind: 'staff',
    accountId: a.id,
    tenantId,
    role: a.role as Extract<Actor, { kind: 'staff' }>['role'],
    team: a.team,
  };
}

function planOf(actor: Actor, filter: CaseListFilter = FIRST_PAGE) {
  const query = caseListQuery(compiler, caseScope(actor), new Date().toISOString(), filter);
  const { sql, parameters } = query.compile();
  const rows = db.prepare(`explain query plan ${sql}`).all(...parameters) as Array<{
    detail: string;
  }>;
  return {
    plan: rows.map((r) => r.detail).join('\n'),
    count: db.prepare(sql).all(...parameters).length,
  };
}

const account = (label: string, tenant: string) => {
  const found = accounts.find((a) => a.label === label && a.tenant === tenant);
  if (!found) throw new Error(`no demo account ${label} in ${tenant}`);
  return found;
};

beforeAll(async () => {
  dataDir = makeDataDir();
  const run = await runCli(['demo', '--scale', String(SCALE)], { CLOISON_DATA_DIR: dataDir });
  expect(run.code, run.output).toBe(0);
  db = new Database(path.join(dataDir, 'cloison.sqlite'), { readonly: true });
  accounts = (
    JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8')) as {
      accounts: DemoAccount[];
    }
  ).accounts;
  tenantIds = Object.fromEntries(
    (db.prepare('select code, id from tenants').all() as Array<{ code: string; id: string }>).map(
      (t) => [t.code, t.id],
    ),
  );
}, 120_000);
afterAll(() => {
  db?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const STAFF = ['accueil', 'instructeur', 'instructeur-sud', 'evaluateur', 'responsable', 'cdaph'];

describe('the case queue’s query plans', () => {
  it.each(STAFF.flatMap((label) => [[label, '44'] as const, [label, '85'] as const]))(
    '%s (%s): the first page is read in order from an index, no scan, no sort',
    (label, tenant) => {
      const { plan, count } = planOf(actorOf(account(label, tenant)));
      expect(count).toBeGreaterThan(0);
      expect(plan).not.toMatch(/SCAN cases/);
      expect(plan).toMatch(/SEARCH cases USING (COVERING )?INDEX/);
      expect(plan).not.toMatch(/TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/);
    },
  );

  it('the instructeur filtering by status: read in order too', () => {
    const { plan } = planOf(actorOf(account('instructeur', '44')), {
      ...FIRST_PAGE,
      status: 'depose',
    });
    expect(plan).not.toMatch(/SCAN cases/);
    expect(plan).not.toMatch(/TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/);
  });

  it.each([
    ['usager', '44'],
    ['parent', '44'],
    ['usager-2', '85'],
  ])('%s (%s): their cases found through their persons, not the tenant’s queue', (label, t) => {
    const { plan, count } = planOf(actorOf(account(label, t)));
    expect(count).toBeGreaterThan(0);
    expect(plan).not.toMatch(/SCAN cases/);
    // A handful of rows is sorted; walking the tenant's every case to find them is what fails.
    expect(plan).toMatch(/SEARCH cases USING INDEX cases_person \(person_id=\?\)/);
    expect(plan).not.toMatch(/SEARCH cases USING INDEX cases_tenant/);
  });

  // listSubjectNames and listPersonKeysOf run their query at once: a stand-in database compiles
  // it and hands it back instead of running it.
  async function planOfPageQuery(
    run: (d: Kysely<Schema>, tenantId: string, personIds: string[]) => Promise<unknown>,
  ) {
    const tenantId = tenantIds['44']!;
    const personIds = (
      db.prepare('select id from persons where tenant_id = ? limit 50').all(tenantId) as Array<{
        id: string;
      }>
    ).map((p) => p.id);
    let compiled: { sql: string; parameters: readonly unknown[] } | null = null;
    const capturing = compiler.withPlugin({
      transformQuery: (args) => {
        compiled = compiler.getExecutor().compileQuery(args.node, args.queryId);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    await run(capturing, tenantId, personIds);
    const { sql, parameters } = compiled!;
    return (db.prepare(`explain query plan ${sql}`).all(...parameters) as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join('\n');
  }

  it('a page’s names and keys: found by their ids, not by a walk through the tenant’s persons', async () => {
    const names = await planOfPageQuery((d, t, ids) => listSubjectNames(d, t, ids));
    expect(names).toMatch(/SEARCH persons USING INDEX sqlite_autoindex_persons_1 \(id=\?\)/);
    const keys = await planOfPageQuery((d, t, ids) => listPersonKeysOf(d, t, ids));
    expect(keys).toMatch(
      /SEARCH person_keys USING INDEX sqlite_autoindex_person_keys_1 \(person_id=\?\)/,
    );
  });
});
