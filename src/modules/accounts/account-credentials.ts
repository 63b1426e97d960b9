import type { DbOrTx } from '../../db/database.js';
import { revokeTokensCreatedBy } from '../integrations/integration-token.repository.js';
import { forgetDevicesOf } from '../auth/trusted-device.repository.js';

/**
 * Everything that lets an account act without typing its password again: live sessions,
 * unused e-mailed tokens, and the integration tokens it created. Disabling an account
 * (offboarding, dormancy, erasure) ends them all in the caller's transaction, so the next
 * request of a live session or token finds nothing (THREATS.md T5). A password change or an
 * admin ending the sessions revokes the integration tokens too: a stolen session could have
 * minted one to stay in. Known browsers are forgotten too: a lost phone must not keep its own
sign-in count. A new kind of credential must be ended here too.
 */
export async function endSessionsAndTokens(
  db: DbOrTx,
  accountIds: readonly string[],
  at: string,
): Promise<void> {
  if (accountIds.length === 0) return;
  const ids = [...accountIds];
  await db.deleteFrom('sessions').where('account_id', 'in', ids).execute();
  await db.deleteFrom('account_tokens').where('account_id', 'in', ids).execute();
  await revokeTokensCreatedBy(db, ids, at);
  // A federated link flow under way would attach an identity to the account: it ends too.
  await db.deleteFrom('oidc_flows').where('account_id', 'in', ids).execute();
  await forgetDevicesOf(db, ids);
}

/**
 * Ends every session of the accounts but keeps their e-mailed tokens: a role change (granted,
 * expired, revoked) makes its holder sign in again, under a new session id.
 */
export async function endSessions(db: DbOrTx, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await db
    .deleteFrom('sessions')
    .where('account_id', 'in', [...accountIds])
    .execute();
}

/**
 * Erasure: on top of ending them, forgets every secret the account held (second factors,
 * recovery codes, federated identities). Rows that only say what happened (security events) are the audit issue's.
 */
export async function forgetCredentials(db: DbOrTx, accountId: string, at: string): Promise<void> {
  await endSessionsAndTokens(db, [accountId], at);
  await db.deleteFrom('totp_credentials').where('account_id', '=', accountId).execute();
  await db.deleteFrom('passkeys').where('account_id', '=', accountId).execute();
  await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
  await db
    .updateTable('accounts')
    .set({ mfa_enrolled_at: null })
    .where('id', '=', accountId)
    .execute();
  // The link to a FranceConnect or ProConnect identity: nobody signs in to an erased account.
  await db.deleteFrom('account_identities').where('account_id', '=', accountId).execute();
}
