import { createHash } from 'node:crypto';
import type { OidcProviderName } from '../../config.js';
import type { DbOrTx } from '../../db/database.js';

/**
 * The lookup key of a provider identity: SHA-256 of the issuer and the `sub`. A `sub` is unique
 * per issuer only, and is not kept in clear (it identifies the person at the State's provider).
 */
export function subjectHash(issuer: string, sub: string): string {
  return createHash('sha256').update(`${issuer}\n${sub}`).digest('hex');
}

/** The account linked to this provider identity, if any. */
export async function findLinkedAccountId(
  db: DbOrTx,
  provider: OidcProviderName,
  hash: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('account_identities')
    .select('account_id')
    .where('provider', '=', provider)
    .where('subject_hash', '=', hash)
    .executeTakeFirst();
  return row?.account_id ?? null;
}

/** True when the account already has an identity of this provider. */
export async function hasIdentity(
  db: DbOrTx,
  accountId: string,
  provider: OidcProviderName,
): Promise<boolean> {
  const row = await db
    .selectFrom('account_identities')
    .select('account_id')
    .where('account_id', '=', accountId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Links the identity to the account unless either side is already linked; false when it is
 * (the unique constraints decide, so two concurrent links cannot both succeed).
 */
export async function insertIdentity(
  db: DbOrTx,
  link: { accountId: string; provider: OidcProviderName; subjectHash: string; at: string },
): Promise<boolean> {
  const result = await db
    .insertInto('account_identities')
    .values({
      account_id: link.accountId,
      provider: link.provider,
      subject_hash: link.subjectHash,
      linked_at: link.at,
      last_used_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Removes the account's identity of this provider; false when there was none. */
export async function deleteIdentity(
  db: DbOrTx,
  accountId: string,
  provider: OidcProviderName,
): Promise<boolean> {
  const result = await db
    .deleteFrom('account_identities')
    .where('account_id', '=', accountId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** The providers the account is linked to. */
export function listIdentities(db: DbOrTx, accountId: string) {
  return db
    .selectFrom('account_identities')
    .select(['provider', 'linked_at', 'last_used_at'])
    .where('account_id', '=', accountId)
    .orderBy('provider')
    .execute();
}

/** Records that the identity was just used to sign in. */
export async function touchIdentity(
  db: DbOrTx,
  accountId: string,
  provider: OidcProviderName,
  at: string,
): Promise<void> {
  await db
    .updateTable('account_identities')
    .set({ last_used_at: at })
    .where('account_id', '=', accountId)
    .where('provider', '=', provider)
    .execute();
}

/** Removes every provider identity of the account. */
export async function deleteIdentitiesOf(db: DbOrTx, accountId: string): Promise<void> {
  await db.deleteFrom('account_identities').where('account_id', '=', accountId).execute();
}
