import type { DbOrTx } from '../../db/database.js';
import type { NewSecurityEvent } from '../../db/schema.js';

/** Appends one security event. The audit issue will chain and sign these rows. */
export async function insertSecurityEvent(db: DbOrTx, event: NewSecurityEvent): Promise<number> {
  const row = await db
    .insertInto('security_events')
    .values(event)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Counts events of a kind, newest first; used by tests and the future alert rules. */
export async function listSecurityEvents(
  db: DbOrTx,
  filter: { kind?: string; limit: number },
): Promise<
  Array<{
    kind: string;
    action: string | null;
    object_id: string | null;
    account_id: string | null;
  }>
> {
  let query = db
    .selectFrom('security_events')
    .select(['kind', 'action', 'object_id', 'account_id'])
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  return query.execute();
}
