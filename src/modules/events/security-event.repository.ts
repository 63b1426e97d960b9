import type { DbOrTx } from '../../db/database.js';
import type { NewSecurityEvent } from '../../db/schema.js';

/**
 * Appends one security event and returns its id. The same fact goes to the tamper-evident audit
 * log (src/modules/audit), which is what the detection rules read.
 */
export async function insertSecurityEvent(db: DbOrTx, event: NewSecurityEvent): Promise<number> {
  const row = await db
    .insertInto('security_events')
    .values(event)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Deletes the security events older than the cutoff (the log's retention). */
export async function deleteSecurityEventsBefore(db: DbOrTx, cutoff: string): Promise<void> {
  await db.deleteFrom('security_events').where('at', '<', cutoff).execute();
}
