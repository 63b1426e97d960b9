import type { Insertable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { AlertRuleSettingTable, AlertWorkingHoursTable } from '../../db/schema.js';

/** The rules a tenant changed from the deployment's defaults. */
export function findRuleSettings(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('alert_rule_settings')
    .select(['rule', 'enabled', 'threshold', 'window_seconds'])
    .where('tenant_id', '=', tenantId)
    .execute();
}

/** The tenant's working hours, if it set its own. */
export function findWorkingHours(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('alert_working_hours')
    .select(['time_zone', 'days', 'starts_at', 'ends_at'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function saveRuleSetting(
  db: DbOrTx,
  row: Insertable<AlertRuleSettingTable>,
): Promise<void> {
  await db
    .insertInto('alert_rule_settings')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'rule']).doUpdateSet({
        enabled: row.enabled,
        threshold: row.threshold,
        window_seconds: row.window_seconds,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function saveWorkingHours(
  db: DbOrTx,
  row: Insertable<AlertWorkingHoursTable>,
): Promise<void> {
  await db
    .insertInto('alert_working_hours')
    .values(row)
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        time_zone: row.time_zone,
        days: row.days,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}
