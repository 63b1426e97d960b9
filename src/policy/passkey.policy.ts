import type { Actor } from './actor.js';
import type { Action } from './actions.js';

/** A passkey as the policy sees it: it belongs to exactly one account. */
export interface PasskeyFacts {
  readonly accountId: string;
}

/** One's own second factors only: nobody else, an admin included, removes a person's passkey. */
export function canOnPasskey(actor: Actor, action: Action, passkey: PasskeyFacts): boolean {
  return (
    action === 'mfa.manage' &&
    actor.kind !== 'anonymous' &&
    actor.kind !== 'integration' &&
    actor.accountId === passkey.accountId
  );
}
