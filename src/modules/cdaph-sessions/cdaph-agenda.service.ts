import type { AppDeps } from '../../deps.js';
import { NotFound, problems } from '../../errors.js';
import { isConstraintViolation } from '../../db/constraint-errors.js';
import type { Actor } from '../../policy/actor.js';
import { ON_CDAPH_AGENDA, type CaseStatus } from '../../policy/case-workflow.js';
import { requireCase } from '../cases/case-access.js';
import { requireSession } from './cdaph-session-access.js';
import { getSession } from './cdaph-session.service.js';
import {
  countDecidedInSession,
  deleteAgendaItem,
  findPendingAgendaOf,
  insertAgendaItem,
} from './cdaph-session.repository.js';

const alreadyOnAgenda = () =>
  problems.conflict(
    'already-on-agenda',
    'Ce dossier est déjà à l’ordre du jour d’une séance prévue ou en cours.',
  );

/**
 * Puts a ready case (awaiting the CDAPH, of the same tenant, on no other pending agenda) on the
 * agenda of a session that is not closed. The case is reached through the actor's own case
 * scope: a case of another département answers as a missing one.
 */
export async function addToAgenda(deps: AppDeps, actor: Actor, sessionId: string, caseId: string) {
  const { row: session } = await requireSession(deps, actor, 'cdaphSession.manage', sessionId);
  if (session.status === 'closed')
    throw problems.conflict('session-closed', 'La séance est close.');
  const { row } = await requireCase(deps, actor, 'case.read', caseId);
  if (!ON_CDAPH_AGENDA.includes(row.status as CaseStatus)) {
    throw problems.conflict('case-not-ready', 'Le dossier n’est pas en attente de la CDAPH.');
  }
  try {
    await deps.db.transaction().execute(async (trx) => {
      if (await findPendingAgendaOf(trx, row.tenant_id, row.id)) throw alreadyOnAgenda();
      await insertAgendaItem(trx, {
        tenantId: row.tenant_id,
        sessionId: session.id,
        caseId: row.id,
        by: (actor as { accountId: string }).accountId,
        at: deps.clock.now().toISOString(),
      });
    });
  } catch (error) {
    // Two requests raced past the check: the unique index decided.
    if (isConstraintViolation(error)) throw alreadyOnAgenda();
    throw error;
  }
  return getSession(deps, actor, sessionId);
}

/**
 * Takes a case off the agenda before the session closes (postponed to a later one). A case a
 * right of which was already decided in this session stays: a decision is not undone by
 * postponing.
 */
export async function removeFromAgenda(
  deps: AppDeps,
  actor: Actor,
  sessionId: string,
  caseId: string,
) {
  const { row: session } = await requireSession(deps, actor, 'cdaphSession.manage', sessionId);
  if (session.status === 'closed')
    throw problems.conflict('session-closed', 'La séance est close.');
  await deps.db.transaction().execute(async (trx) => {
    if ((await countDecidedInSession(trx, session.tenant_id, session.id, caseId)) > 0) {
      throw problems.conflict(
        'decided-in-session',
        'Un droit de ce dossier a déjà été décidé dans cette séance.',
      );
    }
    if (!(await deleteAgendaItem(trx, session.tenant_id, session.id, caseId))) {
      throw new NotFound({
        action: 'cdaphSession.manage',
        objectType: 'cdaph-agenda-item',
        objectId: caseId,
        reason: 'missing',
      });
    }
  });
  return getSession(deps, actor, sessionId);
}
