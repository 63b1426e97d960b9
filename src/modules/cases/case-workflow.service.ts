import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import {
  addMonths,
  APPEAL_ANSWER_MONTHS,
  instructionDeadline,
} from '../../policy/case-deadlines.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { transitionFor } from '../../policy/case.policy.js';
import { findActiveStaff } from '../staff/staff.repository.js';
import { requireCase } from './case-access.js';
import { unmetGuards } from './case-guards.js';
import type { AssignmentBody, DecisionBody, TransitionBody } from './case.schemas.js';
import { getCase } from './case.service.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import type { CaseStatus } from '../../policy/case-workflow.js';
import { notifyCaseParties } from '../notifications/notify.js';
import {
  prepareDecisionLetter,
  recordDecisionLetter,
  type PreparedLetter,
} from '../letters/decision-letter.service.js';
import type { CaseRow } from '../../db/schema.js';
import type { Transition } from '../../policy/case-workflow.js';
import type { CaseNotice } from '../notifications/notices.js';
import { sessionDecidingOn } from '../cdaph-sessions/cdaph-session-decisions.js';
import { decisionProblem } from './decision-validity.js';
import {
  assignCaseTo,
  findRequestedRight,
  insertTransition,
  moveCaseStatus,
  recordRightDecision,
  setTransitionComment,
  type AssignmentChange,
} from './case-workflow.repository.js';

/** The notice a move to `to` sends, for a transition that notifies the usager. */
function noticeOfTransition(to: CaseStatus): CaseNotice {
  switch (to) {
    case 'attente_pieces':
      return 'pieces-requested';
    case 'caduc':
      return 'case-lapsed';
    case 'notifie':
      return 'decision-available';
    default:
      return 'case-changed';
  }
}

/** Moves a case along the workflow, if the table allows this actor's relation to do so. */
export async function transitionCase(
  deps: AppDeps,
  actor: Actor,
  caseId: string,
  body: Static<typeof TransitionBody>,
) {
  const found = await requireCase(deps, actor, 'case.transition', caseId);
  const { row, facts } = found;
  const transition = transitionFor(actor, facts, body.to);
  if (!transition) {
    throw problems.conflict(
      'transition-not-allowed',
      `Le passage de « ${row.status} » à « ${body.to} » n’est pas permis pour votre rôle.`,
    );
  }
  const now = deps.clock.now();
  const today = isoDay(now);
  // The notification letter is rendered and stored first, and recorded with the move: a case
  // notified without its letter, or a letter of a move that failed, never stays.
  const letter =
    transition.to === 'notifie'
      ? await prepareDecisionLetter(deps, row, today, (actor as { accountId: string }).accountId)
      : null;
  try {
    await recordTransition(deps, actor, row, transition, body, { now, letter });
  } catch (error) {
    await letter?.discard();
    throw error;
  }
  return getCase(deps, actor, caseId);
}

/** The move itself, in one transaction: guards, status, history, comment, mails, letter. */
async function recordTransition(
  deps: AppDeps,
  actor: Actor,
  row: CaseRow,
  transition: Transition,
  body: Static<typeof TransitionBody>,
  extra: { now: Date; letter: PreparedLetter | null },
): Promise<void> {
  const { now, letter } = extra;
  const today = isoDay(now);
  await deps.db.transaction().execute(async (trx) => {
    const unmet = await unmetGuards(trx, row, transition.guards, {
      today,
      piecesDeadline: body.piecesDeadline,
      cipher: await deps.vault.forPerson(trx, row.tenant_id, row.person_id),
    });
    if (unmet.length > 0) throw problems.conflict('transition-guard', unmet.join(' ; '));
    // Optimistic check: two agents moving the same case at once cannot both win.
    const moved = await moveCaseStatus(
      trx,
      { id: row.id, tenantId: row.tenant_id, fromStatus: row.status },
      {
        status: transition.to,
        updated_at: now.toISOString(),
        ...(transition.to === 'attente_pieces'
          ? { pieces_deadline: body.piecesDeadline, pieces_reminded_on: null }
          : {}),
        // The first day found complete: a return to evaluation on appeal does not restart the
        // CDAPH's 4 months, and a new notification opens a new appeal window.
        ...(transition.to === 'recevable' && row.complete_on === null
          ? { complete_on: today, instruction_due_on: instructionDeadline(today) }
          : {}),
        ...(transition.to === 'notifie' ? { notified_on: today } : {}),
        // An appeal is answered within 2 months: the due day the queues show becomes that one.
        ...(transition.to === 'recours'
          ? { instruction_due_on: addMonths(today, APPEAL_ANSWER_MONTHS) }
          : {}),
        ...(transition.from === 'brouillon' && transition.to === 'depose'
          ? { submitted_at: now.toISOString() }
          : {}),
      },
    );
    if (!moved) {
      throw problems.conflict(
        'concurrent-update',
        'Le dossier a changé entre-temps ; rechargez-le.',
      );
    }
    const transitionId = await insertTransition(trx, {
      tenantId: row.tenant_id,
      caseId: row.id,
      fromStatus: row.status,
      toStatus: transition.to,
      actorAccountId: (actor as { accountId: string }).accountId,
      at: now.toISOString(),
    });
    if (body.comment) {
      // Sealed once the row id exists: the comment is bound to this very transition.
      const cipher = await deps.vault.forPerson(trx, row.tenant_id, row.person_id);
      await setTransitionComment(
        trx,
        transitionId,
        cipher.seal(sealedField.transitionComment(transitionId), body.comment),
      );
    }
    // Told in the same transaction: a mail for a move that is refused or lost never leaves.
    if (transition.notifiesUsager) {
      const notice = noticeOfTransition(transition.to);
      await notifyCaseParties(trx, deps, {
        tenantId: row.tenant_id,
        caseId: row.id,
        notice,
        ...(notice === 'pieces-requested' && body.piecesDeadline
          ? { deadline: body.piecesDeadline }
          : {}),
      });
    }
    if (letter) await recordDecisionLetter(trx, letter);
  });
}

/** Assigns a case to an instructeur, an évaluateur médical and/or a team of the same tenant. */
export async function assignCase(
  deps: AppDeps,
  actor: Actor,
  caseId: string,
  body: Static<typeof AssignmentBody>,
) {
  const { row } = await requireCase(deps, actor, 'case.assign', caseId);
  const changes: Omit<AssignmentChange, 'updated_at'> = {};
  for (const [field, role] of [
    ['instructeurId', 'instructeur'],
    ['evaluateurId', 'evaluateur'],
  ] as const) {
    const id = body[field];
    if (id === undefined) continue;
    if (id !== null) {
      // Tenant-scoped: an account of another département looks exactly like an unknown one.
      const staff = await findActiveStaff(deps.db, row.tenant_id, id, role);
      if (!staff) {
        throw problems.validation(
          `Aucun ${role} actif de ce département ne porte l’identifiant donné.`,
        );
      }
    }
    changes[field === 'instructeurId' ? 'instructeur_id' : 'evaluateur_id'] = id;
  }
  if (body.team !== undefined) changes.team = body.team;
  await assignCaseTo(
    deps.db,
    { id: row.id, tenantId: row.tenant_id },
    { ...changes, updated_at: deps.clock.now().toISOString() },
  );
  return getCase(deps, actor, caseId);
}

/**
 * Records the decision on one requested right, in the CDAPH session in progress today that has
 * the case on its agenda: outside a session nothing is decided (409, nothing written).
 */
export async function decideRight(
  deps: AppDeps,
  actor: Actor,
  caseId: string,
  right: string,
  body: Static<typeof DecisionBody>,
) {
  const { row } = await requireCase(deps, actor, 'case.decide', caseId);
  if (row.status !== 'attente_cdaph') {
    throw problems.conflict(
      'not-awaiting-decision',
      'Le dossier n’est pas en attente de décision CDAPH.',
    );
  }
  const now = deps.clock.now();
  const today = isoDay(now);
  const refused = decisionProblem(body, row.submitted_at?.slice(0, 10) ?? null);
  if (refused) throw problems.validation(refused);
  await deps.db.transaction().execute(async (trx) => {
    const sessionId = await sessionDecidingOn(trx, row.tenant_id, row.id, today);
    if (!sessionId) {
      throw problems.conflict(
        'no-session-in-progress',
        'Aucune séance CDAPH en cours aujourd’hui n’a ce dossier à son ordre du jour.',
      );
    }
    const target = await findRequestedRight(trx, row.tenant_id, row.id, right);
    if (!target) {
      throw problems.conflict(
        'right-not-requested',
        `Le droit ${right} n’est pas demandé dans ce dossier.`,
      );
    }
    const cipher = await deps.vault.forPerson(trx, row.tenant_id, row.person_id);
    const accord = body.decision !== 'rejet';
    await recordRightDecision(
      trx,
      { tenantId: row.tenant_id, caseId: row.id, id: target.id },
      {
        decision: body.decision,
        reasonEnc: cipher.sealOptional(sealedField.decisionReason(target.id), body.reason),
        by: (actor as { accountId: string }).accountId,
        at: now.toISOString(),
        validFrom: accord ? (body.validFrom ?? null) : null,
        validUntil: accord ? (body.validUntil ?? null) : null,
        sessionId,
      },
    );
  });
  return getCase(deps, actor, caseId);
}
