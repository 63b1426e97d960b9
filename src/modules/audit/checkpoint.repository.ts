import type { Selectable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { AuditCheckpointTable, AuditWitnessCursorTable } from '../../db/schema.js';

/** The signed checkpoints of the chains, and how far the HTTP witness has taken them. */

/** A chain's latest signed checkpoint, if any. */
export function findLatestCheckpoint(
  db: DbOrTx,
  chain: string,
): Promise<Selectable<AuditCheckpointTable> | undefined> {
  return db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('chain', '=', chain)
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The size of a chain's latest signed checkpoint, if any. */
export async function findLatestCheckpointSize(
  db: DbOrTx,
  chain: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .select('size')
    .where('chain', '=', chain)
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.size;
}

/** The sizes of a chain's latest `count` checkpoints, largest first. */
export async function listLatestCheckpointSizes(
  db: DbOrTx,
  chain: string,
  count: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('audit_checkpoints')
    .select('size')
    .where('chain', '=', chain)
    .orderBy('size', 'desc')
    .limit(count)
    .execute();
  return rows.map((r) => r.size);
}

/** The signed notes of every checkpoint of a chain, smallest first. */
export async function listCheckpointNotes(db: DbOrTx, chain: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_checkpoints')
    .select('note')
    .where('chain', '=', chain)
    .orderBy('size')
    .execute();
  return rows.map((r) => r.note);
}

/** A chain's checkpoints larger than `after`, smallest first, at most `limit`. */
export function listCheckpointsAfter(db: DbOrTx, chain: string, after: number, limit: number) {
  return db
    .selectFrom('audit_checkpoints')
    .select(['size', 'note'])
    .where('chain', '=', chain)
    .where('size', '>', after)
    .orderBy('size')
    .limit(limit)
    .execute();
}

/** Every chain that has a signed checkpoint. */
export function listCheckpointChains(db: DbOrTx): Promise<Array<{ chain: string }>> {
  return db.selectFrom('audit_checkpoints').select('chain').distinct().execute();
}

/** Records a checkpoint unless the chain has one of that size already. */
export async function insertCheckpointIfAbsent(
  db: DbOrTx,
  row: Selectable<AuditCheckpointTable>,
): Promise<void> {
  await db
    .insertInto('audit_checkpoints')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The size after which the witness has not accepted a chain's checkpoints yet, if known. */
export async function findWitnessCursor(db: DbOrTx, chain: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('audit_witness_cursor')
    .select('size')
    .where('chain', '=', chain)
    .executeTakeFirst();
  return row?.size;
}

/** Writes down where the witness starts on a chain, unless that was written down already. */
export async function insertWitnessCursorIfAbsent(
  db: DbOrTx,
  row: AuditWitnessCursorTable,
): Promise<void> {
  await db
    .insertInto('audit_witness_cursor')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Records that the witness accepted a chain's checkpoints up to `size`. */
export async function saveWitnessCursor(db: DbOrTx, row: AuditWitnessCursorTable): Promise<void> {
  await db
    .insertInto('audit_witness_cursor')
    .values(row)
    .onConflict((oc) =>
      oc.column('chain').doUpdateSet({ size: row.size, delivered_at: row.delivered_at }),
    )
    .execute();
}
