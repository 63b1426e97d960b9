import type { RequestContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { ruleById } from './rules/index.js';
import { decideAlertOfTenant, findAlertOfTenant, listAlertsOfTenant } from './alert.repository.js';
import { requireAuthorized } from '../authorization/require-authorized.js';

export async function listAlerts(deps: AppDeps, actor: Actor) {
  const staff = requireStaff(actor);
  const rows = await listAlertsOfTenant(deps.db, staff.tenantId);
  return {
    items: rows.map((a) => ({
      id: a.id,
      rule: a.rule,
      // What the rule means, for whoever reads the inbox (the DPO).
      title: ruleById(a.rule)?.meaning ?? a.rule,
      severity: a.severity,
      subject: a.subject,
      status: a.status,
      count: a.count,
      firstAt: a.first_at,
      lastAt: a.last_at,
      evidence: JSON.parse(a.evidence) as number[],
    })),
  };
}

/**
 * Acknowledge (someone is on it) or resolve (dealt with); an alert of another tenant, or one about
 * the deciding person themself, is not found.
 */
export async function decideAlert(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  alertId: string,
  decision: 'acknowledged' | 'resolved',
): Promise<void> {
  const staff = requireStaff(actor);
  const row = await requireAuthorized(deps.db, actor, 'alert.manage', {
    type: 'alert',
    id: alertId,
    table: 'alerts',
    find: () => findAlertOfTenant(deps.db, staff.tenantId, alertId),
    facts: (alert) => ({
      type: 'alert',
      id: alert.id,
      tenantId: alert.tenant_id,
      subject: alert.subject,
    }),
  });
  const done = await decideAlertOfTenant(deps.db, staff.tenantId, row.id, {
    status: decision,
    by: staff.accountId,
    at: deps.clock.now().toISOString(),
  });
  if (!done) {
    throw problems.conflict('alert-resolved', 'Cette alerte est déjà close.');
  }
  await recordSecurityEvent(deps, origin, {
    kind: decision === 'acknowledged' ? 'alert.acknowledged' : 'alert.resolved',
    actor,
    objectType: 'alert',
    objectId: alertId,
  });
}
