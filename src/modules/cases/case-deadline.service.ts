import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { addDays, LAPSE_REMINDER_DAYS } from '../../policy/case-deadlines.js';
import { appendAudit, systemActEntry } from '../audit/audit-log.js';
import {
  lapseIfStillDue,
  listCasesPastPiecesDeadline,
  listCasesToRemindOfPieces,
  markPiecesReminded,
} from './case-deadline.repository.js';
import { insertTransition } from './case-workflow.repository.js';
import { notifyCaseParties, type NotifyDeps } from '../notifications/notify.js';

/** What the server did about missing pieces in one run. */
export interface PiecesDeadlineRun {
  readonly reminded: number;
  readonly lapsed: number;
}

/** The name the server signs its own moves of a case with, in the history and the audit log. */
export const PIECES_DEADLINE_JOB = 'pieces-deadline';

/**
 * The missing-pieces deadline, kept by the server: the usager is reminded once, seven days
 * before; the day after the deadline a case still awaiting its pieces lapses (caduc), recorded
 * in its history and the audit log as the server's act, and its parties are told. A case to
 * which a document was added since its pieces were asked for does not lapse: the pieces may be
 * on the agent's desk, and an agent decides (it stays in the overdue queue). Each case is one transaction, so a run
 * cut short leaves every case either untouched or fully moved; the next run does the rest.
 */
export async function keepPiecesDeadlines(
  deps: Pick<AppDeps, 'db' | 'clock'> & NotifyDeps,
): Promise<PiecesDeadlineRun> {
  const now = deps.clock.now();
  const today = isoDay(now);
  let reminded = 0;
  let lapsed = 0;

  const due = await listCasesToRemindOfPieces(deps.db, today, addDays(today, LAPSE_REMINDER_DAYS));
  for (const c of due) {
    await deps.db.transaction().execute(async (trx) => {
      const first = await markPiecesReminded(
        trx,
        { id: c.id, tenantId: c.tenant_id, deadline: c.pieces_deadline! },
        today,
      );
      if (!first) return;
      reminded += 1;
      await notifyCaseParties(trx, deps, {
        tenantId: c.tenant_id,
        caseId: c.id,
        notice: 'lapse-warning',
        deadline: c.pieces_deadline!,
      });
      await appendAudit(
        trx,
        systemActEntry({
          at: now.toISOString(),
          tenant: c.tenant_id,
          action: 'case.pieces-reminder',
          objectType: 'case',
          objectId: c.id,
        }),
      );
    });
  }

  for (const c of await listCasesPastPiecesDeadline(deps.db, today)) {
    await deps.db.transaction().execute(async (trx) => {
      // Checked again in the update itself: an agent may have given a new deadline, or pieces
      // may have reached the file since the listing, and then the case does not lapse.
      const moved = await lapseIfStillDue(trx, { id: c.id, tenantId: c.tenant_id }, today, now);
      if (!moved) return;
      lapsed += 1;
      await insertTransition(trx, {
        tenantId: c.tenant_id,
        caseId: c.id,
        fromStatus: 'attente_pieces',
        toStatus: 'caduc',
        actorAccountId: null,
        byJob: PIECES_DEADLINE_JOB,
        at: now.toISOString(),
      });
      await appendAudit(
        trx,
        systemActEntry({
          at: now.toISOString(),
          tenant: c.tenant_id,
          action: 'case.lapse',
          objectType: 'case',
          objectId: c.id,
        }),
      );
      await notifyCaseParties(trx, deps, {
        tenantId: c.tenant_id,
        caseId: c.id,
        notice: 'case-lapsed',
      });
    });
  }
  return { reminded, lapsed };
}
