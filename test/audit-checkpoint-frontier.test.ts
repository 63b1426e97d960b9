import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client } from './harness/client.js';
import { runCli, startServer } from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { eventually, stopAndRemove } from './support/storage.js';
import { treeHash } from '../src/modules/audit/merkle.js';
import { openInMemoryDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { appendAudit, systemActEntry } from '../src/modules/audit/audit-log.js';
import { ChainFrontiers } from '../src/modules/audit/chain-frontier.js';
import { buildChainTree } from '../src/modules/audit/chain-tree.js';

/**
 * The checkpoint job grows each chain's tree from where its previous run left it: after any
 * number of runs, the root it signs is the one a full recomputation over the stored leaves
 * gives, and it falls back to that recomputation when the chain no longer ends as it did.
 */

const CHAIN = '11111111-2222-4333-8444-555555555555';

async function append(db: Db, count: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < count; i += 1) {
      await appendAudit(
        trx,
        systemActEntry({
          at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
          tenant: CHAIN,
          action: 'test.event',
          objectType: 'test',
          objectId: `object-${i}`,
        }),
      );
    }
  });
}

const fullRoot = async (db: Db) => (await buildChainTree(db, CHAIN, null)).root();

describe('the checkpoint frontier', () => {
  let db: Db;
  beforeEach(async () => {
    db = openInMemoryDatabase();
    await migrateToLatest(db);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('signs after N runs the root a full recomputation gives', async () => {
    const frontiers = new ChainFrontiers();
    let total = 0;
    // Uneven growth, including runs where nothing was appended.
    for (const added of [1, 0, 2, 5, 0, 8, 1, 31, 64, 3, 0, 17]) {
      await append(db, added);
      total += added;
      const tree = await frontiers.tree(db, CHAIN);
      expect(tree.size).toBe(total);
      expect(tree.root()).toEqual(await fullRoot(db));
    }
  });

  it('reads only the events appended since its last run', async () => {
    const frontiers = new ChainFrontiers();
    await append(db, 40);
    await frontiers.tree(db, CHAIN);
    await append(db, 3);
    const queries: string[] = [];
    const spied = db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        queries.push(`${args.result.rows.length}`);
        return args.result;
      },
    });
    const tree = await frontiers.tree(spied, CHAIN);
    expect(tree.size).toBe(43);
    expect(tree.root()).toEqual(await fullRoot(db));
    // The leaf the frontier ended on, then the three new leaves (and an empty page).
    expect(queries).toEqual(['1', '3', '0']);
  });

  it('leaves the tree it kept untouched by the tree it returns', async () => {
    const frontiers = new ChainFrontiers();
    await append(db, 9);
    const first = await frontiers.tree(db, CHAIN);
    first.push(Buffer.alloc(32));
    const again = await frontiers.tree(db, CHAIN);
    expect(again.size).toBe(9);
    expect(again.root()).toEqual(await fullRoot(db));
  });

  it('rebuilds when the chain no longer ends with the leaf it ended on', async () => {
    const frontiers = new ChainFrontiers();
    await append(db, 12);
    await frontiers.tree(db, CHAIN);
    // Someone with the file rewrites event 12 (the triggers dropped): the full recomputation
    // over what is stored is what the job signs, as it did before it kept frontiers.
    await sql`drop trigger audit_events_no_update`.execute(db);
    await db
      .updateTable('audit_events')
      .set({ leaf_hash: 'ab'.repeat(32) })
      .where('chain', '=', CHAIN)
      .where('seq', '=', 12)
      .execute();
    await append(db, 2);
    const tree = await frontiers.tree(db, CHAIN);
    expect(tree.size).toBe(14);
    expect(tree.root()).toEqual(await fullRoot(db));
  });

  it('rebuilds when a sequence number is missing among the new events', async () => {
    const frontiers = new ChainFrontiers();
    await append(db, 6);
    await frontiers.tree(db, CHAIN);
    await append(db, 4);
    await sql`drop trigger audit_events_no_delete`.execute(db);
    await db.deleteFrom('audit_events').where('chain', '=', CHAIN).where('seq', '=', 8).execute();
    const tree = await frontiers.tree(db, CHAIN);
    // The stored leaves, in order, as a full recomputation takes them.
    expect(tree.size).toBe(9);
    expect(tree.root()).toEqual(await fullRoot(db));
  });
});

describe('the checkpoint job of a running server', () => {
  it('signs, run after run, the roots a full recomputation gives', async () => {
    const s = await startServer({ env: { CLOISON_AUDIT_CHECKPOINT_SECONDS: '1' } });
    try {
      const tenant = readWorld(s.dbFile).tenants.find((t) => t.code === '44')!.id;
      const client = await new Client(s.baseUrl).login(s.account('usager'));
      const sizes = () =>
        queryDb<{ size: number }>(
          s.dbFile,
          'select size from audit_checkpoints where chain = ? order by size',
          tenant,
        ).map((r) => r.size);
      // Several runs of the job, each finding a few more events than the one before.
      for (let round = 0; round < 4; round += 1) {
        for (let i = 0; i <= round; i += 1) {
          expect((await client.get('/api/v1/cases')).status).toBe(200);
        }
        const last = queryDb<{ n: number }>(
          s.dbFile,
          'select max(seq) as n from audit_events where chain = ?',
          tenant,
        )[0]!.n;
        expect(await eventually(() => sizes().at(-1)! >= last, 10_000)).toBe(true);
      }
      await s.stop();

      const leaves = queryDb<{ leaf_hash: string }>(
        s.dbFile,
        'select leaf_hash from audit_events where chain = ? order by seq',
        tenant,
      ).map((r) => Buffer.from(r.leaf_hash, 'hex'));
      const checkpoints = queryDb<{ size: number; root_hash: string }>(
        s.dbFile,
        'select size, root_hash from audit_checkpoints where chain = ? order by size',
        tenant,
      );
      expect(checkpoints.length).toBeGreaterThanOrEqual(4);
      for (const cp of checkpoints) {
        expect(cp.root_hash).toBe(treeHash(leaves.slice(0, cp.size)).toString('hex'));
      }
      const verified = await runCli(['audit', 'verify'], {
        CLOISON_DATA_DIR: s.dataDir,
        LOG_LEVEL: 'error',
      });
      expect(verified.code, verified.output).toBe(0);
    } finally {
      await stopAndRemove(s);
    }
  });
});
