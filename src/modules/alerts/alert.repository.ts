import type { DbOrTx } from '../../db/database.js';

/** The tenant's alerts, latest activity first. */
export function listAlertsOfTenant(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('last_at', 'desc')
    .limit(500)
    .execute();
}

/** One alert of the tenant, or undefined. */
export function findAlertOfTenant(db: DbOrTx, tenantId: string, alertId: string) {
  return db
    .selectFrom('alerts')
    .select(['id', 'tenant_id', 'subject'])
    .where('id', '=', alertId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/** Acknowledges or resolves an alert not resolved yet; false when it already was. */
export async function decideAlertOfTenant(
  db: DbOrTx,
  tenantId: string,
  alertId: string,
  decision: { status: 'acknowledged' | 'resolved'; by: string; at: string },
): Promise<boolean> {
  const res = await db
    .updateTable('alerts')
    .set(
      decision.status === 'acknowledged'
        ? { status: 'acknowledged', acknowledged_by: decision.by, acknowledged_at: decision.at }
        : { status: 'resolved', resolved_by: decision.by, resolved_at: decision.at },
    )
    .where('id', '=', alertId)
    .where('tenant_id', '=', tenantId)
    .where('status', '<>', 'resolved')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
