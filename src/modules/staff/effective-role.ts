import type { DbOrTx } from '../../db/database.js';
import { endSessions } from '../accounts/account-credentials.js';
import { endGrant } from './role-grant.repository.js';
import { revokeTokensCreatedBy } from '../integrations/integration-token.repository.js';
import { supersedePendingItemsOf } from '../access-reviews/review.repository.js';
import { findRoleGrantIdOf, setEffectiveRole } from './staff.repository.js';

/**
 * The account's effective role (accounts.role and team, which every other module reads) changes
 * only here, inside the caller's transaction, and every change ends the account's sessions: its
 * holder signs in again under a new session id with the new role.
 */

export interface ApprovedGrant {
  readonly id: string;
  readonly role: string;
  readonly team: string | null;
  readonly expires_at: string | null;
}

/** Makes an approved grant the account's role; the grant it replaces is superseded. */
export async function applyGrant(
  trx: DbOrTx,
  accountId: string,
  grant: ApprovedGrant,
  at: string,
): Promise<void> {
  const account = await findRoleGrantIdOf(trx, accountId);
  if (account.role_grant_id !== null && account.role_grant_id !== grant.id)
    await endGrant(trx, account.role_grant_id, 'superseded', at, 'replaced');
  await setEffectiveRole(trx, accountId, {
    role: grant.role,
    team: grant.team,
    grantId: grant.id,
    expiresAt: grant.expires_at,
  });
  // A review of the old role has nothing left to decide: two admins just decided the new one.
  await supersedePendingItemsOf(trx, accountId, at);
  await endSessions(trx, [accountId]);
  // Integration tokens are an admin's: one who is no longer admin leaves none working.
  if (grant.role !== 'admin') await revokeTokensCreatedBy(trx, [accountId], at);
}

/**
 * Takes the account's role away (revoked in a review, expired, lapsed at a review deadline). The
 * account stays, with no role: nothing works for it until a new grant is approved.
 */
export async function removeRole(
  trx: DbOrTx,
  accountId: string,
  how: 'revoked' | 'expired' | 'lapsed',
  at: string,
): Promise<void> {
  const account = await findRoleGrantIdOf(trx, accountId);
  if (account.role_grant_id !== null) await endGrant(trx, account.role_grant_id, how, at, how);
  await setEffectiveRole(trx, accountId, {
    role: null,
    team: null,
    grantId: null,
    expiresAt: null,
  });
  await endSessions(trx, [accountId]);
  await revokeTokensCreatedBy(trx, [accountId], at);
}
