import { NotFound } from '../errors.js';
import type { Actor } from './actor.js';
import { passesRoleGate, type Action } from './actions.js';
import {
  canOnAccount,
  canOnAccountRequest,
  type AccountFacts,
  type AccountRequestFacts,
} from './account.policy.js';
import {
  canOnAlert,
  canOnAlertChannel,
  type AlertChannelFacts,
  type AlertFacts,
} from './alert.policy.js';
import {
  canBreakGlass,
  canOnBreakGlassGrant,
  type BreakGlassGrantFacts,
} from './break-glass.policy.js';
import { canOnCase, onlyThroughBreakGlass, type CaseFacts } from './case.policy.js';
import { canReadDocument, canReviewDocument, canUploadDocument } from './document.policy.js';
import { canOnCdaphSession, type CdaphSessionFacts } from './cdaph-session.policy.js';
import { canOnErasureCertificate, type ErasureCertificateFacts } from './erasure.policy.js';
import {
  canOnExportInstruction,
  type ExportInstructionFacts,
} from './export-instruction.policy.js';
import { canOnIntegrationToken, type IntegrationTokenFacts } from './integration-token.policy.js';
import { canOnPasskey, type PasskeyFacts } from './passkey.policy.js';
import {
  actsForAnother,
  canOnMandate,
  canOnPerson,
  type MandateFacts,
  type PersonFacts,
} from './person.policy.js';
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
  | ({ readonly type: 'person'; readonly id: string } & PersonFacts)
  /** An account of a tenant (staff or usager), for offboarding, re-enabling, sessions. */
  | ({ readonly type: 'account' } & AccountFacts)
  /** A disable or re-enable request waiting for a second admin. */
  | ({ readonly type: 'account-request'; readonly id: string } & AccountRequestFacts)
  | ({ readonly type: 'mandate'; readonly id: string } & MandateFacts)
  | ({ readonly type: 'integration-token'; readonly id: string } & IntegrationTokenFacts)
  | ({ readonly type: 'passkey'; readonly id: string } & PasskeyFacts)
  | ({ readonly type: 'alert'; readonly id: string } & AlertFacts)
  | ({ readonly type: 'break-glass-grant'; readonly id: string } & BreakGlassGrantFacts)
  | ({ readonly type: 'alert-channel'; readonly id: string } & AlertChannelFacts)
  /** A staff account (never a usager's), for the staff lifecycle. */
  | { readonly type: 'staff-account'; readonly id: string; readonly tenantId: string }
  | ({ readonly type: 'role-grant'; readonly id: string } & RoleGrantFacts)
  | ({ readonly type: 'review-item'; readonly id: string } & ReviewItemFacts)
  | ({ readonly type: 'cdaph-session' } & CdaphSessionFacts)
  | ({ readonly type: 'export-instruction'; readonly id: string } & ExportInstructionFacts)
  | ({ readonly type: 'erasure-certificate'; readonly id: string } & ErasureCertificateFacts);

/**
 * The single decision: may this actor perform this action on this resource. Default deny; each
 * resource's rules live in its own policy file.
 */
export function can(actor: Actor, action: Action, resource: Resource): boolean {
  // The route's role gate runs first, but the policy must not depend on it: without this line
  // any staff role of the tenant (dpo, admin, cdaph...) could verify a mandate.
  if (!passesRoleGate(actor, action)) return false;
  switch (resource.type) {
    case 'case':
      if (action === 'case.breakGlass') return canBreakGlass(actor, resource.case);
      // Case-scoped actions (read, transition, list its documents, messages, notes...).
      return canOnCase(actor, action, resource.case);
    case 'document':
      if (action === 'document.review') {
        return canReviewDocument(actor, resource.category, resource.case);
      }
      return action === 'document.read' && canReadDocument(actor, resource.category, resource.case);
    case 'new-document':
      return (
        action === 'document.upload' && canUploadDocument(actor, resource.category, resource.case)
      );
    case 'person':
      return canOnPerson(actor, action, resource);
    case 'mandate':
      return canOnMandate(actor, action, resource);
    case 'account':
      return canOnAccount(actor, action, resource);
    case 'account-request':
      return canOnAccountRequest(actor, action, resource);
    case 'integration-token':
      return canOnIntegrationToken(actor, action, resource);
    case 'passkey':
      return canOnPasskey(actor, action, resource);
    case 'alert':
      return canOnAlert(actor, action, resource);
    case 'alert-channel':
      return canOnAlertChannel(actor, action, resource);
    case 'break-glass-grant':
      return canOnBreakGlassGrant(actor, action, resource);
    case 'staff-account':
      return canOnStaffAccount(actor, action, resource);
    case 'role-grant':
      return canOnRoleGrant(actor, action, resource);
    case 'review-item':
      return canOnReviewItem(actor, action, resource);
    case 'cdaph-session':
      return canOnCdaphSession(actor, action, resource);
    case 'export-instruction':
      return canOnExportInstruction(actor, action, resource);
    case 'erasure-certificate':
      return canOnErasureCertificate(actor, action, resource);
  }
}

/** What an allowed access tells the request's audit record, beyond who and what. */
export interface AccessNote {
  /** The person a usager acts for when it is not themself (a represented person). */
  readonly onBehalfOf: string | null;
  /** True when the access is exceptional: only a break-glass grant opens it, or opens one. */
  readonly breakGlass: boolean;
}

/** What the type and id a refusal names when the object could not even be loaded. */
export interface MissingObject {
  readonly type: string;
  readonly id: string;
  /** Out of the actor's SQL scope but present: still a refusal, recorded as one. */
  readonly existsOutOfScope?: boolean;
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
  missing: MissingObject,
): asserts resource is R {
  if (resource === null || resource === undefined) {
    throw new NotFound({
      action,
      objectType: missing.type,
      objectId: missing.id,
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
}

/**
 * What the decision tells the request's audit record: a usager acting for a person they
 * represent (on-behalf-of), a staff member reaching the case only by break-glass, or opening
 * a grant (purpose). Pure: the caller records it.
 */
export function accessNote(actor: Actor, action: Action, resource: Resource): AccessNote {
  if ('case' in resource) {
    const facts = resource.case;
    return {
      onBehalfOf:
        actor.kind === 'usager' && facts.subjectAccountId !== actor.accountId
          ? facts.personId
          : null,
      breakGlass: action === 'case.breakGlass' || onlyThroughBreakGlass(actor, facts),
    };
  }
  if (resource.type === 'person' && actsForAnother(actor, resource)) {
    return { onBehalfOf: resource.id, breakGlass: false };
  }
  return { onBehalfOf: null, breakGlass: false };
}
