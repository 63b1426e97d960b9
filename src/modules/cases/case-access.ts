import type { AppDeps } from '../../deps.js';
import type { Actor } from '../../policy/actor.js';
import type { Action } from '../../policy/actions.js';
import { authorize } from '../../policy/authorize.js';
import { caseScope } from '../../policy/case.policy.js';
import { unsafeRowExists } from '../../db/unsafe-exists.js';
import { findCaseInScope, type ScopedCase } from './case.repository.js';

/**
 * The entry to anything under a case: loads it within the actor's scope, then authorizes the
 * action. Missing and refused both end in the same 404.
 */
export async function requireCase(
  deps: AppDeps,
  actor: Actor,
  action: Action,
  caseId: string,
): Promise<ScopedCase> {
  const now = deps.clock.now().toISOString();
  const found = await findCaseInScope(deps.db, caseScope(actor), caseId, now);
  const resource = found ? { type: 'case' as const, id: found.row.id, case: found.facts } : null;
  const existsOutOfScope = found ? false : await unsafeRowExists(deps.db, 'cases', caseId);
  authorize(actor, action, resource, { type: 'case', id: caseId, existsOutOfScope });
  // authorize() proved resource non-null, hence found too.
  return found as ScopedCase;
}
