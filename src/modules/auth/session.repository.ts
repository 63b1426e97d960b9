import type { Insertable, Selectable } from 'kysely';
import { compiledOnce, firstRow } from '../../db/compiled-once.js';
import type { DbOrTx } from '../../db/database.js';
import type { AccountTable, SessionTable } from '../../db/schema.js';

/** Records a new session (its id only as a hash). */
export async function insertSession(db: DbOrTx, row: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** Deletes the session with this id hash, if any. */
export async function deleteSession(db: DbOrTx, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

const sessionWithAccount = compiledOnce((db, idHash: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .selectAll('accounts')
    .select([
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.first_factor',
      'sessions.mfa_at',
    ])
    .where('sessions.id_hash', '=', idHash),
);

type SessionWithAccount = Selectable<AccountTable> &
  Pick<SessionTable, 'last_seen_at' | 'expires_at' | 'first_factor' | 'mfa_at'>;

/** The session with this id hash and its account, read whole, if any. */
export function findSessionWithAccount(
  db: DbOrTx,
  idHash: string,
): Promise<SessionWithAccount | undefined> {
  return firstRow<SessionWithAccount>(db, sessionWithAccount(db, idHash));
}

/** Records that the session was used now (its idle expiry slides from there). */
export async function touchSession(db: DbOrTx, idHash: string, at: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: at })
    .where('id_hash', '=', idHash)
    .execute();
}

/** Ends every session of the accounts (the caller skips an empty list). */
export async function deleteSessionsOf(db: DbOrTx, accountIds: readonly string[]): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('account_id', 'in', [...accountIds])
    .execute();
}

/** Ends every session of the account but the one with this id hash (none kept when null). */
export async function deleteSessionsOfAccountExcept(
  db: DbOrTx,
  accountId: string,
  keptIdHash: string | null,
): Promise<void> {
  let query = db.deleteFrom('sessions').where('account_id', '=', accountId);
  if (keptIdHash !== null) query = query.where('id_hash', '<>', keptIdHash);
  await query.execute();
}

/**
 * The device hashes of the account's complete sessions (second factor proven) still live at
 * `now` and seen since `idleCutoff`, on any device other than `deviceHash`.
 */
export function listOtherLiveSessionDevices(
  db: DbOrTx,
  accountId: string,
  at: { now: string; idleCutoff: string; deviceHash: string },
) {
  return db
    .selectFrom('sessions')
    .select(['device_hash'])
    .where('account_id', '=', accountId)
    .where('mfa_at', 'is not', null)
    .where('expires_at', '>', at.now)
    .where('last_seen_at', '>', at.idleCutoff)
    .where('device_hash', '<>', at.deviceHash)
    .execute();
}
