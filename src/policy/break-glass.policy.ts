import type { Actor } from './actor.js';
import type { Action } from './actions.js';
import { caseRelation, isDraftOfAnother, type CaseFacts, type CaseScope } from './case.policy.js';

/**
 * Break-glass: a reasoned, time-boxed reading of a case outside one's assignment. What a grant
 * then allows on the case (reading only) is in case.policy.ts (`onlyThroughBreakGlass`), since
 * every case-scoped decision goes through it.
 */

/** A break-glass grant as the policy sees it. */
export interface BreakGlassGrantFacts {
  readonly tenantId: string;
  /** The staff member who opened it. */
  readonly accountId: string;
}

/**
 * Whether a staff member may open the case by break-glass: one of the case's département (the
 * role gate of case.breakGlass says which roles) who does not already reach it (a grant is
 * never a way to widen what an assigned agent may do).
 */
export function canBreakGlass(actor: Actor, c: CaseFacts): boolean {
  if (actor.kind !== 'staff' || actor.tenantId !== c.tenantId) return false;
  // A draft is nobody's emergency: it is not a request yet.
  if (isDraftOfAnother(actor, c)) return false;
  return caseRelation(actor, c) === null;
}

/**
 * True when the actor already reaches the case without a grant: asking for one is then a
 * mistake to explain (409), not a refusal to hide, since the case is theirs to see anyway.
 */
export function reachesWithoutBreakGlass(actor: Actor, c: CaseFacts): boolean {
  return caseRelation(actor, c) !== null;
}

/** The DPO of the grant's département reviews it (the role gate), never its own holder. */
export function canOnBreakGlassGrant(
  actor: Actor,
  action: Action,
  grant: BreakGlassGrantFacts,
): boolean {
  return (
    action === 'breakGlass.review' &&
    actor.kind === 'staff' &&
    actor.tenantId === grant.tenantId &&
    grant.accountId !== actor.accountId
  );
}

/**
 * The cases a staff member may consider opening by break-glass: their département's, less the
 * drafts of others (canBreakGlass then decides), so that a draft answers as a missing case.
 */
export function breakGlassScope(actor: Extract<Actor, { kind: 'staff' }>): CaseScope {
  return { kind: 'tenant', tenantId: actor.tenantId, draftsOf: actor.accountId };
}
