import type { Actor } from './actor.js';
import type { Action } from './actions.js';

/** An integration token as the policy sees it. */
export interface IntegrationTokenFacts {
  readonly tenantId: string;
  /** The admin who issued it. */
  readonly createdBy: string;
}

/**
 * The admins of the token's own département; approval is a second admin's, never the creator's
 * own, like any grant of access.
 */
export function canOnIntegrationToken(
  actor: Actor,
  action: Action,
  token: IntegrationTokenFacts,
): boolean {
  if (actor.kind !== 'staff' || actor.role !== 'admin') return false;
  if (actor.tenantId !== token.tenantId) return false;
  if (action === 'token.approve') return token.createdBy !== actor.accountId;
  return action === 'token.manage';
}
