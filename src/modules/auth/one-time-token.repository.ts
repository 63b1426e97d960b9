import type { DbOrTx } from '../../db/database.js';
import type { TokenPurpose } from './one-time-tokens.js';

/** Deletes the account's tokens of this purpose, used or not. */
export async function deleteTokensOfPurpose(
  db: DbOrTx,
  accountId: string,
  purpose: TokenPurpose,
): Promise<void> {
  await db
    .deleteFrom('account_tokens')
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .execute();
}

/** Deletes every token of the accounts (the caller skips an empty list). */
export async function deleteTokensOf(db: DbOrTx, accountIds: readonly string[]): Promise<void> {
  await db
    .deleteFrom('account_tokens')
    .where('account_id', 'in', [...accountIds])
    .execute();
}

/** Records a new unused token (its hash only). */
export async function insertToken(
  db: DbOrTx,
  token: {
    tokenHash: string;
    accountId: string;
    purpose: TokenPurpose;
    createdAt: string;
    expiresAt: string;
  },
): Promise<void> {
  await db
    .insertInto('account_tokens')
    .values({
      token_hash: token.tokenHash,
      account_id: token.accountId,
      purpose: token.purpose,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
      used_at: null,
    })
    .execute();
}

/** The account of the unused token with this hash and purpose, unexpired at `now`; or null. */
export async function findUnusedTokenAccountId(
  db: DbOrTx,
  tokenHash: string,
  purpose: TokenPurpose,
  now: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('account_tokens')
    .select('account_id')
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.account_id ?? null;
}

/**
 * Marks the token used if it is unused and unexpired at `now`, in one conditional UPDATE (two
 * concurrent redemptions cannot both see it unused): its account, or null when this call did not.
 */
export async function markTokenUsed(
  db: DbOrTx,
  tokenHash: string,
  purpose: TokenPurpose,
  now: string,
): Promise<string | null> {
  const row = await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('account_id')
    .executeTakeFirst();
  return row?.account_id ?? null;
}
