import type { DbOrTx } from '../../db/database.js';
import { auditEntryField } from '../../db/sqlite-dialect.js';
import type { AlertTable } from '../../db/schema.js';

/** The last sequence number of the chain the rules have run on (0: none yet). */
export async function readCursor(db: DbOrTx, chain: string): Promise<number> {
  const row = await db
    .selectFrom('alert_cursors')
    .select('seq')
    .where('chain', '=', chain)
    .executeTakeFirst();
  return row?.seq ?? 0;
}

export async function saveCursor(db: DbOrTx, chain: string, seq: number, at: string) {
  await db
    .insertInto('alert_cursors')
    .values({ chain, seq, updated_at: at })
    .onConflict((oc) => oc.column('chain').doUpdateSet({ seq, updated_at: at }))
    .execute();
}

/** Committed events of a chain after the cursor, in order. */
export function readEventsAfter(db: DbOrTx, chain: string, after: number, limit: number) {
  return db
    .selectFrom('audit_events')
    .select(['seq', 'at', 'entry'])
    .where('chain', '=', chain)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/**
 * The entry fields a window is fetched by, spelled exactly as the expression index of migration
 * 0019 (chain, json_extract(entry, '$.actorId'), at) so SQLite uses it: a literal path, not a
 * bound parameter. Windows by address or object use the (chain, at) index.
 */
const FIELDS = {
  actorId: auditEntryField('actorId'),
  ip: auditEntryField('ip'),
  objectId: auditEntryField('objectId'),
};

/**
 * Events of a chain since `since` whose entry has `field` equal to `value`: the window a rule
 * counts for one subject. No bound on seq here: SQLite would then walk the primary key instead.
 */
export function readWindow(
  db: DbOrTx,
  chain: string,
  key: { field: 'actorId' | 'ip' | 'objectId'; value: string },
  since: string,
) {
  return db
    .selectFrom('audit_events')
    .select(['seq', 'at', 'entry'])
    .where('chain', '=', chain)
    .where('at', '>', since)
    .where(FIELDS[key.field], '=', key.value)
    .orderBy('seq')
    .execute();
}

function alertsOf(db: DbOrTx, tenantId: string | null, rule: string, subject: string) {
  const q = db
    .selectFrom('alerts')
    .selectAll()
    .where('rule', '=', rule)
    .where('subject', '=', subject);
  return tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId);
}

/**
 * The alert still open for this tenant, rule and subject. Not an acknowledged one: once someone
 * is on it, what happens next is a new incident and is sent again, never absorbed in silence.
 */
export function findOpenAlert(db: DbOrTx, tenantId: string | null, rule: string, subject: string) {
  return alertsOf(db, tenantId, rule, subject).where('status', '=', 'open').executeTakeFirst();
}

/** The latest alert for this tenant, rule and subject, whatever its status. */
export function findLatestAlert(
  db: DbOrTx,
  tenantId: string | null,
  rule: string,
  subject: string,
) {
  return alertsOf(db, tenantId, rule, subject)
    .orderBy('first_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertAlert(
  db: DbOrTx,
  alert: Pick<
    AlertTable,
    | 'id'
    | 'tenant_id'
    | 'rule'
    | 'severity'
    | 'subject'
    | 'first_at'
    | 'last_at'
    | 'count'
    | 'evidence'
  >,
) {
  await db
    .insertInto('alerts')
    .values({
      ...alert,
      status: 'open',
      acknowledged_by: null,
      acknowledged_at: null,
      resolved_by: null,
      resolved_at: null,
    })
    .execute();
}

export async function extendAlert(
  db: DbOrTx,
  id: string,
  change: Pick<AlertTable, 'count' | 'last_at' | 'evidence'>,
) {
  await db.updateTable('alerts').set(change).where('id', '=', id).execute();
}
