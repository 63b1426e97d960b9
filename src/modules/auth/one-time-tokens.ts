import { randomBytes } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import type { DbOrTx } from '../../db/database.js';
import { hashToken } from '../../crypto/token-hash.js';
import {
  deleteTokensOfPurpose,
  findUnusedTokenAccountId,
  insertToken,
  markTokenUsed,
} from './one-time-token.repository.js';

export type TokenPurpose = 'verify-email' | 'reset-password' | 'activate' | 'change-email';

/** How long each kind of e-mailed token stays good. */
export const TOKEN_LIFETIME_MINUTES: Record<TokenPurpose, number> = {
  'verify-email': 24 * 60,
  'reset-password': 30,
  activate: 72 * 60,
  'change-email': 24 * 60,
};

/**
 * Issues a 256-bit single-use token for an account and returns it in clear, once, for the
 * e-mail. Any older unused token of the same purpose dies: only the latest link works.
 */
export async function issueToken(
  deps: Pick<AppDeps, 'clock'>,
  db: DbOrTx,
  accountId: string,
  purpose: TokenPurpose,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const expires = new Date(now.getTime() + TOKEN_LIFETIME_MINUTES[purpose] * 60_000);
  await deleteTokensOfPurpose(db, accountId, purpose);
  await insertToken(db, {
    tokenHash: hashToken(token),
    accountId,
    purpose,
    createdAt: now.toISOString(),
    expiresAt: expires.toISOString(),
  });
  return token;
}

/**
 * The account a token would redeem for, without spending it: lets a caller check what it needs
 * (the password policy, a slow hash) outside the transaction that then redeems it.
 */
export async function findRedeemableToken(
  deps: Pick<AppDeps, 'clock'>,
  db: DbOrTx,
  token: string,
  purpose: TokenPurpose,
): Promise<string | null> {
  if (token.length > 128) return null;
  return findUnusedTokenAccountId(db, hashToken(token), purpose, deps.clock.now().toISOString());
}

/**
 * Redeems a token: returns its account id and marks it used, or null when the token is unknown,
 * of another purpose, expired or already used (one answer for all four). Run it inside the
 * transaction that acts on the account, so a failure after it leaves the token unused.
 */
export async function redeemToken(
  deps: Pick<AppDeps, 'clock'>,
  db: DbOrTx,
  token: string,
  purpose: TokenPurpose,
): Promise<string | null> {
  if (token.length > 128) return null;
  const now = deps.clock.now().toISOString();
  // One conditional UPDATE: two concurrent redemptions cannot both see it unused.
  return markTokenUsed(db, hashToken(token), purpose, now);
}
