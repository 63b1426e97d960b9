import type { DbOrTx } from '../../db/database.js';

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
