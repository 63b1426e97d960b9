import type { DbOrTx } from '../../db/database.js';

/** An account whose address, or address waiting for confirmation, is this one; if any. */
export function findAccountClaimingAddress(db: DbOrTx, email: string) {
  return db
    .selectFrom('accounts')
    .select('id')
    .where((eb) => eb.or([eb('email', '=', email), eb('pending_email', '=', email)]))
    .executeTakeFirst();
}

/** Sets (or, with null, clears) the address the account waits to confirm. */
export async function setPendingEmail(
  db: DbOrTx,
  accountId: string,
  email: string | null,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ pending_email: email })
    .where('id', '=', accountId)
    .execute();
}

/** Makes the confirmed address the account's, verified at `at`; nothing waits any more. */
export async function applyPendingEmail(
  db: DbOrTx,
  accountId: string,
  email: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ email, pending_email: null, email_verified_at: at })
    .where('id', '=', accountId)
    .execute();
}
