import { NotFound } from '../errors.js';
import type { Actor } from './actor.js';
import { passesRoleGate, type Action } from './actions.js';
import { noteBreakGlassAccess, noteOnBehalfOf } from '../modules/audit/request-audit.js';
import {
  canBreakGlass,
  canOnCase,
  caseRelation,
  onlyThroughBreakGlass,
  type CaseFacts,
} from './case.policy.js';
import { canReadDocument, canUploadDocument } from './document.policy.js';
import {
  canOnAccount,
  canOnAccountRequest,
  type AccountFacts,
  type AccountRequestFacts,
} from './account.policy.js';
import {
  canOnReviewItem,
  canOnRoleGrant,
  canOnStaffAccount,
  type ReviewItemFacts,
  type RoleGrantFacts,
} from './staff.policy.js';

/** The objects the policy decides on, each carrying the facts its rules need. */
export type Resource =
  | { readonly type: 'case'; readonly id: string; readonly case: CaseFacts }
  | {
      readonly type: 'document';
      readonly id: string;
      readonly category: string;
      readonly case: CaseFacts;
    }
  /** A document about to be added: the category is the client's, the case is loaded. */
  | {
      readonly type: 'new-document';
      readonly id: string;
      readonly category: string;
      readonly case: CaseFacts;
    }
  | {
      readonly type: 'person';
      readonly id: string;
      readonly tenantId: string;
      readonly accountId: string | null;
      readonly representativeAccountIds: readonly string[];
    }
  /** An account of a tenant (staff or usager), for offboarding, re-enabling, sessions. */
  | ({ readonly type: 'account' } & AccountFacts)
  /** A disable or re-enable request waiting for a second admin. */
  | ({ readonly type: 'account-request'; readonly id: string } & AccountRequestFacts)
  | {
      readonly type: 'mandate';
      readonly id: string;
      readonly tenantId: string;
      readonly representativeAccountId: string;
    }
  | {
      readonly type: 'integration-token';
      readonly id: string;
      readonly tenantId: string;
      readonly createdBy: string;
    }
  /** One's own second factor: a passkey belongs to exactly one account. */
  | { readonly type: 'passkey'; readonly id: string; readonly accountId: string }
  /** An alert of a tenant (null: the platform's, which no tenant's staff may touch). */
  | {
      readonly type: 'alert';
      readonly id: string;
      readonly tenantId: string | null;
      /** Who the alert is about (an account id, possibly with a qualifier after ':'). */
      readonly subject: string;
    }
  /** A break-glass grant, reviewed by the DPO of its département (never by its holder). */
  | {
      readonly type: 'break-glass-grant';
      readonly id: string;
      readonly tenantId: string;
      readonly accountId: string;
    }
  /** Where a tenant's alerts go (webhook, e-mail, syslog). */
  | { readonly type: 'alert-channel'; readonly id: string; readonly tenantId: string }
  /** A staff account (never a usager's), for the staff lifecycle. */
  | { readonly type: 'staff-account'; readonly id: string; readonly tenantId: string }
  | ({ readonly type: 'role-grant'; readonly id: string } & RoleGrantFacts)
  | ({ readonly type: 'review-item'; readonly id: string } & ReviewItemFacts);

/** The single decision: may this actor perform this action on this resource. Default deny. */
export function can(actor: Actor, action: Action, resource: Resource): boolean {
  // The route's role gate runs first, but the policy must not depend on it: without this line
  // any staff role of the tenant (dpo, admin, cdaph...) could verify a mandate.
  if (!passesRoleGate(actor, action)) return false;
  switch (resource.type) {
    case 'case':
      if (action === 'case.breakGlass') return canBreakGlass(actor, resource.case);
      // Case-scoped actions (read, transition, list its documents, messages, notes...).
      return canOnCase(actor, action, resource.case);
    case 'break-glass-grant':
      // The DPO of the grant's département reviews it once.
      return (
        action === 'breakGlass.review' &&
        actor.kind === 'staff' &&
        actor.tenantId === resource.tenantId &&
        resource.accountId !== actor.accountId
      );
    case 'document':
      return action === 'document.read' && canReadDocument(actor, resource.category, resource.case);
    case 'new-document':
      return (
        action === 'document.upload' && canUploadDocument(actor, resource.category, resource.case)
      );
    case 'person':
      if (action === 'person.erase') {
        return (
          actor.kind === 'staff' && actor.role === 'dpo' && actor.tenantId === resource.tenantId
        );
      }
      return action === 'case.create' && canFileFor(actor, resource);
    case 'account':
      return canOnAccount(actor, action, resource);
    case 'account-request':
      return canOnAccountRequest(actor, action, resource);
    case 'mandate':
      return (
        action === 'mandate.verify' &&
        actor.kind === 'staff' &&
        actor.tenantId === resource.tenantId
      );
    case 'integration-token':
      // The admins of the token's own département; approval is a second admin's, never the
      // creator's own, like any grant of access.
      if (actor.kind !== 'staff' || actor.role !== 'admin') return false;
      if (actor.tenantId !== resource.tenantId) return false;
      if (action === 'token.approve') return resource.createdBy !== actor.accountId;
      return action === 'token.manage';
    case 'passkey':
      return (
        action === 'mfa.manage' &&
        actor.kind !== 'anonymous' &&
        actor.kind !== 'integration' &&
        actor.accountId === resource.accountId
      );
    case 'alert':
      // The DPO and admin of the alert's département (the role gate says which roles), never
      // about themself: whoever an alert watches does not get to close it.
      return (
        action === 'alert.manage' &&
        actor.kind === 'staff' &&
        resource.tenantId !== null &&
        actor.tenantId === resource.tenantId &&
        resource.subject !== actor.accountId &&
        !resource.subject.startsWith(`${actor.accountId}:`)
      );
    case 'alert-channel':
      // The admins of the channel's own département: where its alerts go is theirs to change.
      return (
        action === 'alertChannel.manage' &&
        actor.kind === 'staff' &&
        actor.role === 'admin' &&
        actor.tenantId === resource.tenantId
      );
    case 'staff-account':
      return canOnStaffAccount(actor, action, resource);
    case 'role-grant':
      return canOnRoleGrant(actor, action, resource);
    case 'review-item':
      return canOnReviewItem(actor, action, resource);
  }
}

function canFileFor(actor: Actor, person: Extract<Resource, { type: 'person' }>): boolean {
  if (actor.kind === 'usager') {
    if (actor.tenantId !== person.tenantId) return false;
    return (
      person.accountId === actor.accountId ||
      person.representativeAccountIds.includes(actor.accountId)
    );
  }
  // Agents d'accueil register paper requests for anybody of their own département.
  return actor.kind === 'staff' && actor.role === 'accueil' && actor.tenantId === person.tenantId;
}

/**
 * Throws the same 404 whether the resource is missing or refused, so callers cannot tell the
 * two apart; afterwards the resource is known to exist. The refusal reason travels on the
 * error to the security event, never to the client.
 */
export function authorize<R extends Resource>(
  actor: Actor,
  action: Action,
  resource: R | null | undefined,
  missing: { type: string; id: string; existsOutOfScope?: boolean },
): asserts resource is R {
  if (resource === null || resource === undefined) {
    throw new NotFound({
      action,
      objectType: missing.type,
      objectId: missing.id,
      // Out of the actor's SQL scope but present: still a refusal, recorded as one.
      reason: missing.existsOutOfScope ? 'refused' : 'missing',
    });
  }
  if (!can(actor, action, resource)) {
    throw new NotFound({
      action,
      objectType: resource.type,
      objectId: resource.id,
      reason: 'refused',
    });
  }
  noteForAudit(actor, resource);
}

/**
 * What the decision tells the request's audit record: a usager acting for a person they
 * represent (on-behalf-of), a staff member reaching the case only by break-glass (purpose).
 */
function noteForAudit(actor: Actor, resource: Resource): void {
  if ('case' in resource) {
    const facts = resource.case;
    if (actor.kind === 'usager' && facts.subjectAccountId !== actor.accountId) {
      noteOnBehalfOf(facts.personId);
    }
    if (onlyThroughBreakGlass(actor, facts)) noteBreakGlassAccess();
  } else if (
    resource.type === 'person' &&
    actor.kind === 'usager' &&
    resource.accountId !== actor.accountId
  ) {
    noteOnBehalfOf(resource.id);
  }
}

export { caseRelation };
