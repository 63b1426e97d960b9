import type { Actor } from './actor.js';
import type { Action } from './actions.js';

/** An account of a tenant as the account rules see it. */
export interface AccountFacts {
  readonly id: string;
  readonly tenantId: string | null;
  readonly kind: 'usager' | 'staff' | 'operateur';
  readonly role: string | null;
  readonly status: 'active' | 'disabled';
  readonly disabledReason: string | null;
}

/** A disable or re-enable request as the policy sees it. */
export interface AccountRequestFacts {
  readonly tenantId: string;
}

/**
 * Roles that run the département's safeguards: admins approve every grant of access, the DPO
 * watches them. Taking one of them out is a grant of power over the others, so it takes two.
 */
const PRIVILEGED_ROLES: readonly string[] = ['admin', 'dpo'];

/**
 * The fewest active admins a département may keep: every approval needs a second admin, so with
 * one left nothing could ever be approved again, not even a new admin.
 */
export const MIN_ACTIVE_ADMINS = 2;

/** Why an account is disabled when two admins may bring it back (not a creation under way). */
const REENABLABLE_REASONS: readonly string[] = ['offboarded', 'dormant'];

/** The categories of a support action on a usager's account (what the audit detail keeps). */
export const SUPPORT_CATEGORIES = ['usager-request', 'suspected-compromise', 'other'] as const;
export type SupportCategory = (typeof SUPPORT_CATEGORIES)[number];

/**
 * The tenant's admins act on its accounts. Disabling and re-enabling are for staff accounts
 * only, never one's own: a usager's account is theirs (they close it, or the DPO erases the
 * person), and a refusal here answers like a missing account. Ending a staff member's sessions
 * is the one-admin emergency measure; ending a usager's is a support action with a reason, on
 * its own route so that the reason cannot be left out.
 */
export function canOnAccount(actor: Actor, action: Action, account: AccountFacts): boolean {
  if (actor.kind !== 'staff' || actor.role !== 'admin') return false;
  if (account.tenantId === null || actor.tenantId !== account.tenantId) return false;
  switch (action) {
    case 'account.disable':
    case 'account.enable':
      return account.kind === 'staff' && account.id !== actor.accountId;
    case 'account.endSessions':
      return account.kind === 'staff';
    case 'account.supportEndSessions':
      return account.kind === 'usager';
    default:
      return false;
  }
}

/**
 * Disabling this account needs a second admin: it is live and holds admin or DPO. An ordinary
 * agent's is immediate (offboarding must cut a leaving employee off at once), as is stopping a
 * creation not yet activated.
 */
export function disableNeedsSecondAdmin(
  account: Pick<AccountFacts, 'kind' | 'role' | 'status'>,
): boolean {
  return (
    account.kind === 'staff' &&
    account.status === 'active' &&
    account.role !== null &&
    PRIVILEGED_ROLES.includes(account.role)
  );
}

/** A disabled staff account two admins may bring back (offboarded or dormant). */
export function canBeReenabled(
  account: Pick<AccountFacts, 'kind' | 'status' | 'disabledReason'>,
): boolean {
  return (
    account.kind === 'staff' &&
    account.status === 'disabled' &&
    account.disabledReason !== null &&
    REENABLABLE_REASONS.includes(account.disabledReason)
  );
}

/**
 * True unless taking `leaving` out (disabled, or its admin role taken away) would leave fewer
 * than MIN_ACTIVE_ADMINS of `activeAdmins`. An account that is not among them changes nothing.
 */
export function keepsEnoughAdmins(activeAdmins: readonly string[], leaving: string): boolean {
  if (!activeAdmins.includes(leaving)) return true;
  return activeAdmins.length - 1 >= MIN_ACTIVE_ADMINS;
}

/**
 * Whether the operator may give a département a new admin outside the two-admin flow: only when
 * fewer than MIN_ACTIVE_ADMINS are active or about to activate, so that none could be approved.
 */
export function mayRestoreAdmin(activeOrAwaitingAdmins: number): boolean {
  return activeOrAwaitingAdmins < MIN_ACTIVE_ADMINS;
}

/**
 * Deciding a disable or re-enable request: any admin of its tenant reaches it; whether this one
 * may decide it (not the requester, not the account's holder) is isSecondPerson.
 */
export function canOnAccountRequest(
  actor: Actor,
  action: Action,
  request: AccountRequestFacts,
): boolean {
  return (
    action === 'staff.decide' &&
    actor.kind === 'staff' &&
    actor.role === 'admin' &&
    actor.tenantId === request.tenantId
  );
}
