import type { CompiledQuery } from 'kysely';
import { compiledOnce } from '../../db/compiled-once.js';
import type { DbOrTx } from '../../db/database.js';
import type { AuditEventTable } from '../../db/schema.js';
import { auditEntryField } from '../../db/sqlite-dialect.js';

/**
 * The events of the audit chains (audit_events). The two statements of an append are only
 * compiled here: the caller runs them through Kysely or on a commit hook's raw connection.
 */

/** The statement reading a chain's last link (its seq and chain hash). */
export const compileFindLastLink: (db: DbOrTx, chain: string) => CompiledQuery = compiledOnce(
  (db, chain: string) =>
    db
      .selectFrom('audit_events')
      .select(['seq', 'chain_hash'])
      .where('chain', '=', chain)
      .orderBy('seq', 'desc')
      .limit(1),
);

const insertEvent = compiledOnce(
  (db, chain: string, seq: number, at: string, entry: string, leaf: string, link: string) =>
    db
      .insertInto('audit_events')
      .values({ chain, seq, at, entry, leaf_hash: leaf, chain_hash: link }),
);

/** The statement appending one link. */
export function compileInsertEvent(db: DbOrTx, row: AuditEventTable): CompiledQuery {
  return insertEvent(db, row.chain, row.seq, row.at, row.entry, row.leaf_hash, row.chain_hash);
}

/** Every chain that holds at least one event. */
export function listEventChains(db: DbOrTx): Promise<Array<{ chain: string }>> {
  return db.selectFrom('audit_events').select('chain').distinct().execute();
}

/** What verification reads of an event: the link and the entry it hashes, nothing else. */
export type ChainLinkRow = Pick<AuditEventTable, 'seq' | 'entry' | 'leaf_hash' | 'chain_hash'>;

/** One page of a chain's links after `after`, in order. */
export function listLinkPage(
  db: DbOrTx,
  chain: string,
  after: number,
  limit: number,
): Promise<ChainLinkRow[]> {
  return db
    .selectFrom('audit_events')
    .select(['seq', 'entry', 'leaf_hash', 'chain_hash'])
    .where('chain', '=', chain)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** The stored leaf hash of one event (undefined: not stored). */
export async function findLeafHash(
  db: DbOrTx,
  chain: string,
  seq: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('audit_events')
    .select('leaf_hash')
    .where('chain', '=', chain)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.leaf_hash;
}

/** One page of a chain's events after `after` as the SIEM export gives them, in order. */
export function listExportPage(db: DbOrTx, chain: string, after: number, limit: number) {
  return db
    .selectFrom('audit_events')
    .select(['seq', 'at', 'entry', 'leaf_hash', 'chain_hash'])
    .where('chain', '=', chain)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** The leaf hashes of every event of a chain after `after`, in order. */
export function listLeafHashesAfter(db: DbOrTx, chain: string, after: number) {
  return db
    .selectFrom('audit_events')
    .select(['seq', 'leaf_hash'])
    .where('chain', '=', chain)
    .where('seq', '>', after)
    .orderBy('seq')
    .execute();
}

/** One page of the leaf hashes of events `after` + 1 to `upTo`, in order. */
export function listLeafHashPage(
  db: DbOrTx,
  chain: string,
  range: { after: number; upTo: number },
  limit: number,
) {
  return db
    .selectFrom('audit_events')
    .select(['seq', 'leaf_hash'])
    .where('chain', '=', chain)
    .where('seq', '>', range.after)
    .where('seq', '<=', range.upTo)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** The lowest sequence number still stored at or below `throughSeq` (null: none). */
export async function findLowestSeqThrough(db: DbOrTx, chain: string, throughSeq: number) {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.min('seq').as('seq'))
    .where('chain', '=', chain)
    .where('seq', '<=', throughSeq)
    .executeTakeFirst();
  return row?.seq;
}

/**
 * Over a chain's events after `after`: the last sequence number, and the first one of an event
 * written at or after the cutoff (null when every one is older).
 */
export function findRetentionBounds(db: DbOrTx, chain: string, after: number, cutoff: string) {
  return db
    .selectFrom('audit_events')
    .select((eb) => [
      eb.fn.max('seq').as('last'),
      eb.fn.min(eb.case().when('at', '>=', cutoff).then(eb.ref('seq')).end()).as('firstYoung'),
    ])
    .where('chain', '=', chain)
    .where('seq', '>', after)
    .executeTakeFirst();
}

/** Events `from` to `to` of a chain (what a retention marker keeps of them), in order. */
export function listLinksBetween(db: DbOrTx, chain: string, from: number, to: number) {
  return db
    .selectFrom('audit_events')
    .select(['seq', 'entry', 'chain_hash'])
    .where('chain', '=', chain)
    .where('seq', '>=', from)
    .where('seq', '<=', to)
    .orderBy('seq')
    .execute();
}

/** Deletes a chain's events 1 to `throughSeq` (a retention purge). */
export async function deleteEventsThrough(
  db: DbOrTx,
  chain: string,
  throughSeq: number,
): Promise<void> {
  await db
    .deleteFrom('audit_events')
    .where('chain', '=', chain)
    .where('seq', '<=', throughSeq)
    .execute();
}

/** The entries of a chain whose text names this action (a coarse filter: parse to be sure). */
export async function listEntriesNamingAction(
  db: DbOrTx,
  chain: string,
  action: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('entry')
    .where('chain', '=', chain)
    .where('entry', 'like', `%"action":"${action}"%`)
    .execute();
  return rows.map((r) => r.entry);
}

/** What a search narrows a chain's events by; a field left out does not narrow. */
export interface AuditEventFilter {
  readonly actorId?: string;
  readonly action?: string;
  readonly objectType?: string;
  readonly objectId?: string;
  readonly outcome?: string;
  /** ISO timestamps, both bounds included. */
  readonly from?: string;
  readonly to?: string;
  /** Only events before this sequence number (the next, older page). */
  readonly before?: number;
}

/** A chain's events matching every filter given, newest first, at most `limit`. */
export function searchEvents(db: DbOrTx, chain: string, filter: AuditEventFilter, limit: number) {
  let select = db
    .selectFrom('audit_events')
    .select(['seq', 'at', 'entry'])
    .where('chain', '=', chain);
  if (filter.actorId) select = select.where(auditEntryField('actorId'), '=', filter.actorId);
  if (filter.action) select = select.where(auditEntryField('action'), '=', filter.action);
  if (filter.objectType)
    select = select.where(auditEntryField('objectType'), '=', filter.objectType);
  if (filter.objectId) select = select.where(auditEntryField('objectId'), '=', filter.objectId);
  if (filter.outcome) select = select.where(auditEntryField('outcome'), '=', filter.outcome);
  if (filter.from) select = select.where('at', '>=', filter.from);
  if (filter.to) select = select.where('at', '<=', filter.to);
  if (filter.before) select = select.where('seq', '<', filter.before);
  return select.orderBy('seq', 'desc').limit(limit).execute();
}

/** At most this many addresses of one account are read back: a bound, not an expected size. */
const ADDRESSES_READ = 1_000;

/**
 * The addresses one account's events of a chain came from since `since`, each with its latest
 * event, most recent first. The (chain, actorId, at) expression index finds the account's events.
 */
export async function listAddressesOfActorSince(
  db: DbOrTx,
  chain: string,
  actorId: string,
  since: string,
): Promise<Array<{ ip: string; lastAt: string }>> {
  const ip = auditEntryField('ip');
  const rows = await db
    .selectFrom('audit_events')
    .select([ip.as('ip'), (eb) => eb.fn.max('at').as('last_at')])
    .where('chain', '=', chain)
    .where(auditEntryField('actorId'), '=', actorId)
    .where('at', '>', since)
    .where(ip, 'is not', null)
    .groupBy(ip)
    .orderBy('last_at', 'desc')
    .limit(ADDRESSES_READ)
    .execute();
  return rows.map((r) => ({ ip: r.ip, lastAt: r.last_at }));
}
