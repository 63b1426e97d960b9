import type { AppDeps } from '../../deps.js';
import type { CdaphSessionRow } from '../../db/schema.js';
import type { Actor } from '../../policy/actor.js';
import type { Action } from '../../policy/actions.js';
import { cdaphSessionScope, type CdaphSessionFacts } from '../../policy/cdaph-session.policy.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { findSessionInScope, listMembers } from './cdaph-session.repository.js';

export interface ScopedSession {
  row: CdaphSessionRow;
  facts: CdaphSessionFacts;
  members: Array<{ account_id: string; display_name: string }>;
}

/** The facts the policy reads from a session row and its members. */
export function sessionFacts(
  row: CdaphSessionRow,
  memberAccountIds: readonly string[],
): CdaphSessionFacts {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status,
    sitsOn: row.sits_on,
    agendaOpensOn: row.agenda_opens_on,
    memberAccountIds,
  };
}

/**
 * The entry to anything about a session: loads it within the actor's scope, then authorizes
 * the action. Missing and refused both end in the same 404.
 */
export function requireSession(
  deps: AppDeps,
  actor: Actor,
  action: Action,
  sessionId: string,
): Promise<ScopedSession> {
  return requireAuthorized(deps.db, actor, action, {
    type: 'cdaph-session',
    id: sessionId,
    table: 'cdaph_sessions',
    find: async () => {
      const row = await findSessionInScope(deps.db, cdaphSessionScope(actor), sessionId);
      if (!row) return undefined;
      const members = await listMembers(deps.db, row.tenant_id, [row.id]);
      return {
        row,
        facts: sessionFacts(
          row,
          members.map((m) => m.account_id),
        ),
        members,
      };
    },
    facts: (found) => ({ type: 'cdaph-session' as const, ...found.facts }),
  });
}
