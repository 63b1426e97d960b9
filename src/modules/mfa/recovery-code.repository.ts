import type { DbOrTx } from '../../db/database.js';

/** Deletes every recovery code of the account, used or not. */
export async function deleteRecoveryCodesOf(db: DbOrTx, accountId: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
}

/** Records new recovery codes of the account (their hashes only), none used. */
export async function insertRecoveryCodes(
  db: DbOrTx,
  accountId: string,
  codeHashes: readonly string[],
  now: string,
): Promise<void> {
  await db
    .insertInto('recovery_codes')
    .values(
      codeHashes.map((codeHash) => ({
        code_hash: codeHash,
        account_id: accountId,
        created_at: now,
        used_at: null,
      })),
    )
    .execute();
}

/** True when the account holds recovery codes, used or not. */
export async function hasRecoveryCodes(db: DbOrTx, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('recovery_codes')
    .select('code_hash')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks the account's code with this hash used, if still unused: true when this call did. */
export async function markRecoveryCodeUsed(
  db: DbOrTx,
  accountId: string,
  codeHash: string,
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('code_hash', '=', codeHash)
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** How many unused recovery codes the account has left. */
export async function countRecoveryCodesLeft(db: DbOrTx, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
