import type { DbOrTx } from '../../db/database.js';

/** Whether the device (its token's hash) signed in to the account and is still trusted. */
export async function isTrustedDevice(
  db: DbOrTx,
  tokenHash: string,
  accountId: string,
  now: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('trusted_devices')
    .select('account_id')
    .where('token_hash', '=', tokenHash)
    .where('account_id', '=', accountId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Moves everything the device's previous token was trusted for to its new token, then trusts it
 * for the account. A token the server never issued has no rows: nothing moves.
 */
export async function trustDevice(
  db: DbOrTx,
  device: { previousHash: string | null; newHash: string },
  accountId: string,
  at: { now: string; expiresAt: string },
): Promise<void> {
  if (device.previousHash !== null) {
    await db
      .updateTable('trusted_devices')
      .set({ token_hash: device.newHash })
      .where('token_hash', '=', device.previousHash)
      .where('expires_at', '>', at.now)
      .where('account_id', '<>', accountId)
      .execute();
    await db.deleteFrom('trusted_devices').where('token_hash', '=', device.previousHash).execute();
  }
  await db
    .insertInto('trusted_devices')
    .values({
      token_hash: device.newHash,
      account_id: accountId,
      created_at: at.now,
      last_used_at: at.now,
      expires_at: at.expiresAt,
    })
    .onConflict((oc) =>
      oc
        .columns(['token_hash', 'account_id'])
        .doUpdateSet({ last_used_at: at.now, expires_at: at.expiresAt }),
    )
    .execute();
}

/** Forgets every browser the accounts signed in from (offboarding, lost device, erasure). */
export async function forgetDevicesOf(db: DbOrTx, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await db
    .deleteFrom('trusted_devices')
    .where('account_id', 'in', [...accountIds])
    .execute();
}
