import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openInMemoryDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import {
  appendAudit,
  chainHash,
  GENESIS,
  leafHash,
  systemActEntry,
} from '../src/modules/audit/audit-log.js';
import { treeHash } from '../src/modules/audit/merkle.js';
import { checkpointBody, openNote, signNote } from '../src/modules/audit/signed-note.js';
import { verifyAuditChains } from '../src/modules/audit/verify.js';

/**
 * The verifier's fast pass against the plain one it replaced, written out again here from
 * hex strings and whole-tree hashes: on an intact chain and on every kind of damage, both give
 * the same report (events, checkpoints, first break and its reason).
 */

const CHAIN = '99999999-2222-4333-8444-555555555555';
const EVENTS = 40;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const RAW = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
const KEY_NAME = 'cloison-audit-99999999';

type Row = { seq: number; entry: string; leaf_hash: string; chain_hash: string };

/** The verification of a chain without retention, as it was written before the fast pass. */
async function referenceReport(db: Db) {
  const notes = (
    await db
      .selectFrom('audit_checkpoints')
      .select('note')
      .where('chain', '=', CHAIN)
      .orderBy('size')
      .execute()
  ).map((r) => openNote(r.note, KEY_NAME, RAW));
  const rows: Row[] = await db
    .selectFrom('audit_events')
    .select(['seq', 'entry', 'leaf_hash', 'chain_hash'])
    .where('chain', '=', CHAIN)
    .orderBy('seq')
    .execute();
  let broken: { seq: number; reason: string } | null = null;
  const fail = (seq: number, reason: string) => (broken ??= { seq, reason });
  let previous = GENESIS;
  const leaves: Buffer[] = [];
  rows.forEach((row, i) => {
    const expected = i + 1;
    const leaf = leafHash(row.entry);
    if (row.seq !== expected) {
      fail(expected, `event ${expected} is missing (found ${row.seq} instead)`);
    } else if (leaf !== row.leaf_hash) {
      fail(row.seq, 'the entry was changed (it no longer matches its hash)');
    } else if (chainHash(previous, row.leaf_hash) !== row.chain_hash) {
      fail(row.seq, 'the link does not follow from the previous event (replaced or reordered)');
    }
    previous = row.chain_hash;
    leaves.push(Buffer.from(leaf, 'hex'));
  });
  let checked = 0;
  for (const opened of [...notes].sort((a, b) => (a?.size ?? 0) - (b?.size ?? 0))) {
    if (broken) break;
    if (!opened) {
      fail(0, 'a checkpoint does not carry a valid signature of the log key');
    } else if (opened.size > leaves.length) {
      fail(
        leaves.length + 1,
        `events ${leaves.length + 1} to ${opened.size} were signed in a checkpoint and are gone`,
      );
    } else if (!treeHash(leaves.slice(0, opened.size)).equals(opened.root)) {
      fail(
        opened.size,
        `the first ${opened.size} events no longer match the checkpoint signed for them`,
      );
    } else {
      checked += 1;
    }
  }
  return {
    chain: CHAIN,
    events: rows.length,
    purgedThrough: 0,
    checkpoints: checked,
    beforeRetention: 0,
    broken,
  };
}

async function seed(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < EVENTS; i += 1) {
      await appendAudit(
        trx,
        systemActEntry({
          at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
          tenant: CHAIN,
          action: i % 3 === 0 ? 'document.read' : 'case.read',
          objectType: 'test',
          objectId: `objet-${i}-é`,
        }),
      );
    }
  });
  await db
    .insertInto('audit_log_keys')
    .values({
      chain: CHAIN,
      key_name: KEY_NAME,
      public_key: RAW,
      private_key_enc: Buffer.alloc(1),
      created_at: new Date().toISOString(),
    })
    .execute();
  const leaves = (
    await db
      .selectFrom('audit_events')
      .select('leaf_hash')
      .where('chain', '=', CHAIN)
      .orderBy('seq')
      .execute()
  ).map((r) => Buffer.from(r.leaf_hash, 'hex'));
  for (const size of [1, 7, 16, 25, EVENTS])
    await addCheckpoint(db, size, treeHash(leaves.slice(0, size)));
}

async function addCheckpoint(db: Db, size: number, root: Buffer, note?: string): Promise<void> {
  await db
    .insertInto('audit_checkpoints')
    .values({
      chain: CHAIN,
      size,
      root_hash: root.toString('hex'),
      note: note ?? signNote(checkpointBody('test.invalid', size, root), KEY_NAME, privateKey, RAW),
      created_at: new Date().toISOString(),
    })
    .execute();
}

/** Runs SQL the append-only triggers would refuse, as an intruder with the file would. */
async function tamper(db: Db, ...statements: string[]): Promise<void> {
  await sql`drop trigger if exists audit_events_no_update`.execute(db);
  await sql`drop trigger if exists audit_events_no_delete`.execute(db);
  for (const s of statements) await sql.raw(s).execute(db);
}

const at = (seq: number) => `chain = '${CHAIN}' and seq = ${seq}`;

const damages: Record<string, (db: Db) => Promise<void>> = {
  'nothing (intact)': async () => {},
  'an edited entry': (db) =>
    tamper(db, `update audit_events set entry = replace(entry, 'case', 'cas') where ${at(12)}`),
  'a leaf hash in capitals': (db) =>
    tamper(db, `update audit_events set leaf_hash = upper(leaf_hash) where ${at(5)}`),
  'a leaf hash that is not hex': (db) =>
    tamper(db, `update audit_events set leaf_hash = 'zz' || substr(leaf_hash, 3) where ${at(9)}`),
  'a replaced chain hash': (db) =>
    tamper(db, `update audit_events set chain_hash = '${'ab'.repeat(32)}' where ${at(20)}`),
  'a chain hash that is not hex': (db) =>
    tamper(db, `update audit_events set chain_hash = 'xyz' where ${at(3)}`),
  'a deleted row': (db) => tamper(db, `delete from audit_events where ${at(18)}`),
  'the first row deleted': (db) => tamper(db, `delete from audit_events where ${at(1)}`),
  'a deleted tail signed in a checkpoint': (db) =>
    tamper(db, `delete from audit_events where chain = '${CHAIN}' and seq > 30`),
  // Undetectable from the database alone (the witness's copy is what catches it): both agree.
  'a deleted tail after the last checkpoint left': async (db) => {
    await sql`drop trigger if exists audit_checkpoints_no_delete`.execute(db);
    await tamper(
      db,
      `delete from audit_checkpoints where size = ${EVENTS}`,
      `delete from audit_events where chain = '${CHAIN}' and seq > 30`,
    );
  },
  'two rows swapped': (db) =>
    tamper(
      db,
      `update audit_events set seq = -1 where ${at(10)}`,
      `update audit_events set seq = 10 where ${at(11)}`,
      `update audit_events set seq = 11 where chain = '${CHAIN}' and seq = -1`,
    ),
  'a forged checkpoint': async (db) => {
    const root = Buffer.alloc(32, 7);
    const { privateKey: other } = generateKeyPairSync('ed25519');
    await addCheckpoint(
      db,
      30,
      root,
      signNote(checkpointBody('x', 30, root), KEY_NAME, other, RAW),
    );
  },
  'a checkpoint note that is no note': (db) => addCheckpoint(db, 31, Buffer.alloc(32), 'junk'),
  'a signed root that does not match': (db) => addCheckpoint(db, 33, Buffer.alloc(32, 1)),
  'a checkpoint of size 0': (db) => addCheckpoint(db, 0, Buffer.alloc(32, 2)),
  'an entry rewritten with its hashes recomputed': async (db) => {
    const rows: Row[] = await db
      .selectFrom('audit_events')
      .select(['seq', 'entry', 'leaf_hash', 'chain_hash'])
      .where('chain', '=', CHAIN)
      .orderBy('seq')
      .execute();
    await tamper(db);
    let previous = GENESIS;
    for (const row of rows) {
      const entry = row.seq === 14 ? row.entry.replace('allowed', 'refused') : row.entry;
      const leaf = leafHash(entry);
      previous = chainHash(previous, leaf);
      await db
        .updateTable('audit_events')
        .set({ entry, leaf_hash: leaf, chain_hash: previous })
        .where('chain', '=', CHAIN)
        .where('seq', '=', row.seq)
        .execute();
    }
  },
};

describe('the fast verification pass', () => {
  let db: Db;
  beforeEach(async () => {
    db = openInMemoryDatabase();
    await migrateToLatest(db);
    await seed(db);
  });
  afterEach(async () => {
    await db.destroy();
  });

  for (const [damage, apply] of Object.entries(damages)) {
    it(`reports ${damage} as the plain verifier does`, async () => {
      await apply(db);
      const expected = await referenceReport(db);
      const [report] = await verifyAuditChains(db, { chains: [CHAIN] });
      expect(report).toEqual(expected);
      if (damage === 'nothing (intact)') expect(report!.checkpoints).toBe(5);
      else if (damage !== 'a deleted tail after the last checkpoint left') {
        expect(report!.broken).not.toBeNull();
      }
    });
  }
});
