import type { Selectable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { AuditRetentionTable } from '../../db/schema.js';

export type RetentionMarkerRow = Selectable<AuditRetentionTable>;

/** The latest marker row of a chain, or undefined when nothing was ever purged. */
export function findLatestMarkerRow(
  db: DbOrTx,
  chain: string,
): Promise<RetentionMarkerRow | undefined> {
  return db
    .selectFrom('audit_retention')
    .selectAll()
    .where('chain', '=', chain)
    .orderBy('through_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every chain retention has purged. */
export function listPurgedChains(db: DbOrTx): Promise<Array<{ chain: string }>> {
  return db.selectFrom('audit_retention').select('chain').distinct().execute();
}

/** Records what a purge keeps of the events it deletes. */
export async function insertRetentionMarker(db: DbOrTx, row: RetentionMarkerRow): Promise<void> {
  await db.insertInto('audit_retention').values(row).execute();
}
