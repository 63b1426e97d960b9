import type { DbOrTx } from '../../db/database.js';
import { sessionTakesDecisions } from '../../policy/cdaph-session.policy.js';
import { sessionFacts } from './cdaph-session-access.js';
import { findPendingAgendaOf, findSessionOfTenant } from './cdaph-session.repository.js';

/**
 * The session a decision on this case is taken in today, or undefined: the one pending agenda
 * the case is on, if that session is in progress on its own day (cdaph-session.policy.ts).
 */
export async function sessionDecidingOn(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  today: string,
): Promise<string | undefined> {
  const sessionId = await findPendingAgendaOf(db, tenantId, caseId);
  if (sessionId === undefined) return undefined;
  const session = await findSessionOfTenant(db, tenantId, sessionId);
  if (!session || !sessionTakesDecisions(sessionFacts(session, []), today)) return undefined;
  return session.id;
}
