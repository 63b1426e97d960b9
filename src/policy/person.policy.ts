import type { Actor } from './actor.js';
import type { Action } from './actions.js';

/** A person as the policy sees it: whose account it is, who represents them today. */
export interface PersonFacts {
  readonly tenantId: string;
  readonly accountId: string | null;
  /** Accounts holding a verified mandate over the person that is valid today. */
  readonly representativeAccountIds: readonly string[];
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
  return action === 'case.create' && canFileFor(actor, person);
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
