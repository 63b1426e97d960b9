import type { DbOrTx } from '../../db/database.js';

/** The account's TOTP credential (only a confirmed one when `confirmedOnly`), if any. */
export function findTotpCredential(db: DbOrTx, accountId: string, confirmedOnly: boolean) {
  let query = db.selectFrom('totp_credentials').selectAll().where('account_id', '=', accountId);
  if (confirmedOnly) query = query.where('confirmed_at', 'is not', null);
  return query.executeTakeFirst();
}

/** When the account's TOTP was confirmed (null while pending); undefined when it has none. */
export function findTotpConfirmation(db: DbOrTx, accountId: string) {
  return db
    .selectFrom('totp_credentials')
    .select('confirmed_at')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** True when the account holds a confirmed TOTP. */
export async function hasConfirmedTotp(db: DbOrTx, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('totp_credentials')
    .select('account_id')
    .where('account_id', '=', accountId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Stores a new sealed secret for the account, replacing a pending one (its step count restarts);
 * unusable until confirmed.
 */
export async function storePendingTotp(
  db: DbOrTx,
  accountId: string,
  secretEnc: Buffer,
  now: string,
): Promise<void> {
  await db
    .insertInto('totp_credentials')
    .values({
      account_id: accountId,
      secret_enc: secretEnc,
      created_at: now,
      confirmed_at: null,
      last_step: 0,
    })
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({ secret_enc: secretEnc, created_at: now, last_step: 0 }),
    )
    .execute();
}

/** Marks the account's TOTP confirmed: a first good code proved the app holds the secret. */
export async function confirmTotpCredential(
  db: DbOrTx,
  accountId: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('totp_credentials')
    .set({ confirmed_at: at })
    .where('account_id', '=', accountId)
    .execute();
}

/**
 * Records the step of an accepted code, only if it is later than the last one recorded: true
 * when this call recorded it (a replayed or older code gets false).
 */
export async function advanceTotpStep(
  db: DbOrTx,
  accountId: string,
  step: number,
): Promise<boolean> {
  const res = await db
    .updateTable('totp_credentials')
    .set({ last_step: step })
    .where('account_id', '=', accountId)
    .where('last_step', '<', step)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Deletes the account's TOTP credential; true when it had one. */
export async function deleteTotpCredential(db: DbOrTx, accountId: string): Promise<boolean> {
  const res = await db
    .deleteFrom('totp_credentials')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}
