import type { Insertable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { SessionTable } from '../../db/schema.js';

/** Records a new session (its id only as a hash). */
export async function insertSession(db: DbOrTx, row: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** Deletes the session with this id hash, if any. */
export async function deleteSession(db: DbOrTx, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** The session with this id hash and its account, read whole, if any. */
export function findSessionWithAccount(db: DbOrTx, idHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .selectAll('accounts')
    .select([
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.first_factor',
      'sessions.mfa_at',
    ])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
}

/** Records that the session was used now (its idle expiry slides from there). */
export async function touchSession(db: DbOrTx, idHash: string, at: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: at })
    .where('id_hash', '=', idHash)
    .execute();
}
