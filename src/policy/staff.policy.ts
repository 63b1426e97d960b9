import type { Actor } from './actor.js';
import type { Action } from './actions.js';

/** A role grant (creation or change request) as the policy sees it. */
export interface RoleGrantFacts {
  readonly tenantId: string;
}

/** An access review item as the policy sees it. */
export interface ReviewItemFacts {
  readonly tenantId: string;
  readonly accountId: string;
  readonly reviewerId: string | null;
}

/**
 * Asking for a role for a staff account of the admin's own tenant, their own included: another
 * admin decides, and never the person it is for.
 */
export function canOnStaffAccount(
  actor: Actor,
  action: Action,
  account: { readonly tenantId: string },
): boolean {
  return (
    action === 'role.request' &&
    actor.kind === 'staff' &&
    actor.role === 'admin' &&
    actor.tenantId === account.tenantId
  );
}

/**
 * Deciding a request: any admin of the grant's own tenant reaches it. Whether this admin may
 * approve it (not the requester, not the person it is for) is a business rule the service
 * answers with its own problem, since the requester already knows the request exists.
 */
export function canOnRoleGrant(actor: Actor, action: Action, grant: RoleGrantFacts): boolean {
  return (
    action === 'staff.decide' &&
    actor.kind === 'staff' &&
    actor.role === 'admin' &&
    actor.tenantId === grant.tenantId
  );
}

/**
 * The two-person rule of a role grant: the admin deciding it is neither the one who asked nor
 * the person it is for. One function for the decision and for the "may decide" flag of the list.
 */
export function isSecondPerson(
  actor: Actor,
  grant: { readonly requestedBy: string | null; readonly accountId: string | null },
): boolean {
  return (
    actor.kind === 'staff' &&
    grant.requestedBy !== actor.accountId &&
    grant.accountId !== actor.accountId
  );
}

/** Reviewing: only the reviewer the item was assigned to, never about themself. */
export function canOnReviewItem(actor: Actor, action: Action, item: ReviewItemFacts): boolean {
  return (
    action === 'review.decide' &&
    actor.kind === 'staff' &&
    actor.tenantId === item.tenantId &&
    item.reviewerId === actor.accountId &&
    item.accountId !== actor.accountId
  );
}
