import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { unsafeRowExists } from '../../db/unsafe-exists.js';
import { authorize } from '../../policy/authorize.js';
import type { Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { ruleById } from './rules/index.js';

function staffOf(actor: Actor) {
  if (actor.kind !== 'staff') throw problems.forbidden();
  return actor;
}

export async function listAlerts(deps: AppDeps, actor: Actor) {
  const staff = staffOf(actor);
  const rows = await deps.db
    .selectFrom('alerts')
    .selectAll()
    .where('tenant_id', '=', staff.tenantId)
    .orderBy('last_at', 'desc')
    .limit(500)
    .execute();
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

/** Acknowledge (someone is on it) or resolve (dealt with); an alert of another tenant is not found. */
export async function decideAlert(
  deps: AppDeps,
  request: FastifyRequest,
  actor: Actor,
  alertId: string,
  decision: 'acknowledged' | 'resolved',
): Promise<void> {
  const staff = staffOf(actor);
  const row = await deps.db
    .selectFrom('alerts')
    .select(['id', 'tenant_id'])
    .where('id', '=', alertId)
    .where('tenant_id', '=', staff.tenantId)
    .executeTakeFirst();
  const resource = row ? { type: 'alert' as const, id: row.id, tenantId: row.tenant_id } : null;
  const existsOutOfScope = row ? false : await unsafeRowExists(deps.db, 'alerts', alertId);
  authorize(actor, 'alert.manage', resource, { type: 'alert', id: alertId, existsOutOfScope });
  const now = deps.clock.now().toISOString();
  const res = await deps.db
    .updateTable('alerts')
    .set(
      decision === 'acknowledged'
        ? { status: 'acknowledged', acknowledged_by: staff.accountId, acknowledged_at: now }
        : { status: 'resolved', resolved_by: staff.accountId, resolved_at: now },
    )
    .where('id', '=', resource.id)
    .where('status', '<>', 'resolved')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) {
    throw problems.conflict('alert-resolved', 'Cette alerte est déjà close.');
  }
  await recordSecurityEvent(deps, request, {
    kind: decision === 'acknowledged' ? 'alert.acknowledged' : 'alert.resolved',
    actor,
    objectType: 'alert',
    objectId: alertId,
  });
}
