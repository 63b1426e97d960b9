import type { Actor } from './actor.js';
import type { Action } from './actions.js';

/** A person as the policy sees it: whose account it is, who represents them today. */
export interface PersonFacts {
  readonly tenantId: string;
  readonly accountId: string | null;
  /** Accounts holding a verified mandate over the person that is valid today. */
  readonly representativeAccountIds: readonly string[];
  /**
   * Accounts holding any mandate over the person that has not ended, verified or not; loaded
   * only where a rule needs it (invitations), and an absent list denies.
   */
  readonly mandateHolderAccountIds?: readonly string[];
}

/** A mandate (a representative's claim to act for a person) as the policy sees it. */
export interface MandateFacts {
  readonly tenantId: string;
  readonly representativeAccountId: string;
}

/**
 * Filing a request for a person: a usager for themself or for a person they represent; an agent
 * d'accueil registers paper requests for anybody of their own département. Erasing a person is
 * the DPO's, within their département.
 */
export function canOnPerson(actor: Actor, action: Action, person: PersonFacts): boolean {
  if (action === 'person.erase') {
    return actor.kind === 'staff' && actor.role === 'dpo' && actor.tenantId === person.tenantId;
  }
  if (action === 'person.invite') return canInvite(actor, person);
  return action === 'case.create' && canFileFor(actor, person);
}

/**
 * An invitation hands the file to whoever claims it: only the accueil of the person's own
 * département sends one, and only for a person nobody holds or represents (a person with an
 * account of their own is reached through it; a represented person, a minor or a protected
 * adult, through their representative, whose mandate the claim would otherwise override).
 */
function canInvite(actor: Actor, person: PersonFacts): boolean {
  return (
    actor.kind === 'staff' &&
    actor.role === 'accueil' &&
    actor.tenantId === person.tenantId &&
    isUnheld(person)
  );
}

function isUnheld(person: PersonFacts): boolean {
  return (
    person.accountId === null &&
    person.mandateHolderAccountIds !== undefined &&
    person.mandateHolderAccountIds.length === 0
  );
}

/**
 * Whether a usager may become the person an invitation was issued for (the code and birth date
 * proved): a person of their own département whom nobody holds or represents, by an account
 * that is no person yet. Decided on facts read in the claim's own transaction.
 */
export function canClaimPerson(
  actor: Actor,
  person: PersonFacts,
  claimant: { readonly isAlreadyAPerson: boolean },
): boolean {
  return (
    actor.kind === 'usager' &&
    actor.tenantId === person.tenantId &&
    !claimant.isAlreadyAPerson &&
    isUnheld(person)
  );
}

function canFileFor(actor: Actor, person: PersonFacts): boolean {
  if (actor.kind === 'usager') {
    if (actor.tenantId !== person.tenantId) return false;
    return (
      person.accountId === actor.accountId ||
      person.representativeAccountIds.includes(actor.accountId)
    );
  }
  return actor.kind === 'staff' && actor.role === 'accueil' && actor.tenantId === person.tenantId;
}

/** The mandate actions its own representative may take (the role gate says which roles). */
const REPRESENTATIVE_MANDATE_ACTIONS = new Set<Action>([
  'mandate.uploadProof',
  'mandate.readProof',
  'mandate.end',
]);

/** The mandate actions agents of its département may take (the role gate says which roles). */
const AGENT_MANDATE_ACTIONS = new Set<Action>([
  'mandate.verify',
  'mandate.readProof',
  'mandate.end',
]);

/**
 * Agents of the mandate's département verify it, read its proof and may end it; its
 * representative, and no other usager, uploads and reads its proof and may end it.
 */
export function canOnMandate(actor: Actor, action: Action, mandate: MandateFacts): boolean {
  if (actor.kind === 'usager') {
    return (
      REPRESENTATIVE_MANDATE_ACTIONS.has(action) &&
      actor.tenantId === mandate.tenantId &&
      actor.accountId === mandate.representativeAccountId
    );
  }
  return (
    AGENT_MANDATE_ACTIONS.has(action) &&
    actor.kind === 'staff' &&
    actor.tenantId === mandate.tenantId
  );
}

/** True when a usager acts for a person other than themself (the audit's on-behalf-of). */
export function actsForAnother(actor: Actor, person: { readonly accountId: string | null }) {
  return actor.kind === 'usager' && person.accountId !== actor.accountId;
}
