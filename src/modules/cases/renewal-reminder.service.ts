import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { addMonths } from '../../policy/case-deadlines.js';
import { appendAudit, systemActEntry } from '../audit/audit-log.js';
import { notifyCaseParties, type NotifyDeps } from '../notifications/notify.js';
import { listRightsToRemindOfRenewal, markRenewalReminded } from './renewal-reminder.repository.js';

/**
 * Renewal reminders: a right granted by a notified decision ends; `renewalReminderMonths`
 * before (six by default), the person and their representatives are told once, per case (one
 * mail for all the rights of a case ending in the window), with the earliest end date. Nothing
 * is sent for a case whose renewal is already in progress.
 */
export async function remindRenewals(
  deps: Pick<AppDeps, 'db' | 'clock' | 'config'> & NotifyDeps,
): Promise<number> {
  const today = isoDay(deps.clock.now());
  const due = await listRightsToRemindOfRenewal(
    deps.db,
    today,
    addMonths(today, deps.config.renewalReminderMonths),
  );
  const byCase = new Map<string, { tenantId: string; rightIds: string[]; endsOn: string }>();
  for (const r of due) {
    const entry = byCase.get(r.case_id);
    if (entry) entry.rightIds.push(r.id);
    else byCase.set(r.case_id, { tenantId: r.tenant_id, rightIds: [r.id], endsOn: r.valid_until! });
  }
  let reminded = 0;
  for (const [caseId, c] of byCase) {
    await deps.db.transaction().execute(async (trx) => {
      if ((await markRenewalReminded(trx, c, today)) === 0) return;
      reminded += 1;
      await appendAudit(
        trx,
        systemActEntry({
          at: deps.clock.now().toISOString(),
          tenant: c.tenantId,
          action: 'case.renewal-reminder',
          objectType: 'case',
          objectId: caseId,
        }),
      );
      await notifyCaseParties(trx, deps, {
        tenantId: c.tenantId,
        caseId,
        notice: 'renewal-reminder',
        deadline: c.endsOn,
      });
    });
  }
  return reminded;
}
