import type { AppDeps } from '../../deps.js';
import type { Actor } from '../../policy/actor.js';
import type { Action } from '../../policy/actions.js';
import { caseScope } from '../../policy/case.policy.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { findCaseInScope, type ScopedCase } from './case.repository.js';

/**
 * The entry to anything under a case: loads it within the actor's scope, then authorizes the
 * action. Missing and refused both end in the same 404.
 */
export function requireCase(
  deps: AppDeps,
  actor: Actor,
  action: Action,
  caseId: string,
): Promise<ScopedCase> {
  const now = deps.clock.now().toISOString();
  return requireAuthorized(deps.db, actor, action, {
    type: 'case',
    id: caseId,
    table: 'cases',
    find: () => findCaseInScope(deps.db, caseScope(actor), caseId, now),
    facts: (found) => ({ type: 'case', id: found.row.id, case: found.facts }),
  });
}
