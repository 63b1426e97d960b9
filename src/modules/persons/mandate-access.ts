import type { AppDeps } from '../../deps.js';
import type { Actor } from '../../policy/actor.js';
import type { Action } from '../../policy/actions.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { findMandateInReach } from './mandate-proof.repository.js';

/**
 * The entry to anything about one mandate: loaded within the actor's reach (its tenant's agents;
 * its own representative), then authorized. Missing and refused end in the same 404.
 */
export function requireMandate(deps: AppDeps, actor: Actor, action: Action, mandateId: string) {
  return requireAuthorized(deps.db, actor, action, {
    type: 'mandate',
    id: mandateId,
    table: 'mandates',
    find: async () => {
      if (actor.kind === 'staff') {
        return findMandateInReach(deps.db, { tenantId: actor.tenantId }, mandateId);
      }
      if (actor.kind === 'usager') {
        const reach = { tenantId: actor.tenantId, representativeAccountId: actor.accountId };
        return findMandateInReach(deps.db, reach, mandateId);
      }
      return undefined;
    },
    facts: (row) => ({
      type: 'mandate',
      id: row.id,
      tenantId: row.tenant_id,
      representativeAccountId: row.representative_account_id,
    }),
  });
}
