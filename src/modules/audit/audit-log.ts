import { createHash } from 'node:crypto';
import type { CompiledQuery, QueryResult } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import { compileFindLastLink, compileInsertEvent } from './audit-event.repository.js';
import { timeAuditAppend } from '../../metrics/metrics.js';

/**
 * What an audit event says: who, on whose behalf, did what to which object,
 * for which purpose, with what outcome, from where, when (UTC). Identifiers only: never a name,
 * a NIR, a file name or any content.
 */
export interface AuditEntry {
  readonly at: string;
  readonly tenant: string | null;
  readonly actorKind: 'anonymous' | 'usager' | 'staff' | 'operateur' | 'integration' | 'system';
  /** The account id, or the integration token id. */
  readonly actorId: string | null;
  /** A staff member's role and team (service) at the time: what "who consulted my file" shows. */
  readonly actorRole: string | null;
  readonly actorTeam: string | null;
  readonly onBehalfOf: string | null;
  readonly action: string;
  readonly objectType: string | null;
  readonly objectId: string | null;
  readonly purpose: string | null;
  readonly outcome: 'allowed' | 'refused' | 'failed';
  readonly ip: string | null;
  readonly route: string | null;
}

/** The chain of events that belong to no tenant (anonymous refusals, the operator). */
export const PLATFORM_CHAIN = '-';
/** The link before a chain's first event. */
export const GENESIS = '0'.repeat(64);
export const DAY_MS = 86_400_000;

/**
 * An event Cloison itself records about a chain (a purge, a verification failure): no actor,
 * no address, the chain and event number as object.
 */
export function systemEntry(
  at: string,
  chain: string,
  seq: number,
  event: { action: string; outcome: AuditEntry['outcome']; purpose?: string },
): AuditEntry {
  return {
    ...systemActEntry({
      at,
      tenant: chain === PLATFORM_CHAIN ? null : chain,
      action: event.action,
      objectType: 'audit-chain',
      objectId: `${chain}:${seq}`,
      outcome: event.outcome,
    }),
    purpose: event.purpose ?? null,
  };
}

/**
 * An act of the platform itself, with no account behind it (a command run on the server, a
 * job): who is "system", the object is the one it concerns, `route` names the command if any.
 */
export function systemActEntry(event: {
  at: string;
  tenant: string | null;
  action: string;
  objectType: string;
  objectId: string;
  outcome?: AuditEntry['outcome'];
  route?: string | null;
}): AuditEntry {
  return {
    at: event.at,
    tenant: event.tenant,
    actorKind: 'system',
    actorId: null,
    actorRole: null,
    actorTeam: null,
    onBehalfOf: null,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId,
    purpose: null,
    outcome: event.outcome ?? 'allowed',
    ip: null,
    route: event.route ?? null,
  };
}

/** Canonical JSON: keys sorted, so the same event always hashes the same. */
export function canonicalEntry(entry: AuditEntry): string {
  const record = entry as unknown as Record<string, unknown>;
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((k) => [k, record[k]]),
    ),
  );
}

/** RFC 6962 leaf hash: SHA-256(0x00 || entry). The Merkle tree of checkpoints is built on it. */
export function leafHash(entryText: string): string {
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(entryText, 'utf8')
    .digest('hex');
}

export function chainHash(previous: string, leaf: string): string {
  return createHash('sha256')
    .update(Buffer.from(previous, 'hex'))
    .update(Buffer.from(leaf, 'hex'))
    .digest('hex');
}

/** Runs a compiled statement: through Kysely, or on the raw connection of a commit hook. */
export type Execute = (query: CompiledQuery) => Promise<QueryResult<unknown>>;

/**
 * Appends with `builder` only compiling the statements and `execute` running them, so that the
 * same code serves a Kysely transaction and the connection a commit hook is handed.
 */
export async function appendWith(
  builder: DbOrTx,
  execute: Execute,
  entry: AuditEntry,
): Promise<void> {
  const chain = entry.tenant ?? PLATFORM_CHAIN;
  const { rows } = await execute(compileFindLastLink(builder, chain));
  const last = rows[0] as { seq: number; chain_hash: string } | undefined;
  const text = canonicalEntry(entry);
  const leaf = leafHash(text);
  await execute(
    compileInsertEvent(builder, {
      chain,
      seq: (last?.seq ?? 0) + 1,
      at: entry.at,
      entry: text,
      leaf_hash: leaf,
      chain_hash: chainHash(last?.chain_hash ?? GENESIS, leaf),
    }),
  );
}

/**
 * Appends an event to its tenant's chain. Inside the caller's transaction when given one (the
 * event commits or rolls back with the change it records); otherwise in a transaction of its
 * own, so that two appends never take the same link. Throws when it cannot append: the caller
 * must then not serve what it was about to.
 */
export async function appendAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  // Timed whole: its own transaction, commit included, is what the caller waits for.
  await timeAuditAppend(async () => {
    if (db.isTransaction) await appendWith(db, (q) => db.executeQuery(q), entry);
    else
      await db.transaction().execute((trx) => appendWith(trx, (q) => trx.executeQuery(q), entry));
  });
}
