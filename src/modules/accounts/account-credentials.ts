import type { DbOrTx } from '../../db/database.js';
import { revokeTokensCreatedBy } from '../integrations/integration-token.repository.js';
import { forgetDevicesOf } from '../auth/trusted-device.repository.js';
import { clearSecondFactorEnrolment } from '../auth/account.repository.js';
import { deleteTokensOf } from '../auth/one-time-token.repository.js';
import { deleteSessionsOf } from '../auth/session.repository.js';
import { deleteFlowsOf } from '../federation/oidc-flow.repository.js';
import { deleteIdentitiesOf } from '../federation/identity.repository.js';
import { deletePasskeysOf } from '../mfa/passkey.repository.js';
import { deleteRecoveryCodesOf } from '../mfa/recovery-code.repository.js';
import { deleteTotpCredential } from '../mfa/totp.repository.js';

/**
 * Everything that lets an account act without typing its password again: live sessions,
 * unused e-mailed tokens, and the integration tokens it created. Disabling an account
 * (offboarding, dormancy, erasure) ends them all in the caller's transaction, so the next
 * request of a live session or token finds nothing (THREATS.md T5). A password change or an
 * admin ending the sessions revokes the integration tokens too: a stolen session could have
 * minted one to stay in. Known browsers are forgotten too: a lost phone must not keep its own
 * sign-in count. A new kind of credential must be ended here too.
 */
export async function endSessionsAndTokens(
  db: DbOrTx,
  accountIds: readonly string[],
  at: string,
): Promise<void> {
  if (accountIds.length === 0) return;
  const ids = [...accountIds];
  await deleteSessionsOf(db, ids);
  await deleteTokensOf(db, ids);
  await revokeTokensCreatedBy(db, ids, at);
  // A federated link flow under way would attach an identity to the account: it ends too.
  await deleteFlowsOf(db, ids);
  await forgetDevicesOf(db, ids);
}

/**
 * Ends every session of the accounts but keeps their e-mailed tokens: a role change (granted,
 * expired, revoked) makes its holder sign in again, under a new session id.
 */
export async function endSessions(db: DbOrTx, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await deleteSessionsOf(db, accountIds);
}

/**
 * Erasure: on top of ending them, forgets every secret the account held (second factors,
 * recovery codes, federated identities). Rows that only say what happened (security events) are the audit issue's.
 */
export async function forgetCredentials(db: DbOrTx, accountId: string, at: string): Promise<void> {
  await endSessionsAndTokens(db, [accountId], at);
  await deleteTotpCredential(db, accountId);
  await deletePasskeysOf(db, accountId);
  await deleteRecoveryCodesOf(db, accountId);
  await clearSecondFactorEnrolment(db, accountId);
  // The link to a FranceConnect or ProConnect identity: nobody signs in to an erased account.
  await deleteIdentitiesOf(db, accountId);
}
