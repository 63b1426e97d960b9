import type { Insertable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { RetentionRuleTable } from '../../db/schema.js';

/** The durations a tenant's DPO set (the other kinds keep their defaults). */
export function listRetentionRules(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('retention_rules')
    .select(['kind', 'active_days', 'archive_days', 'changed_at'])
    .where('tenant_id', '=', tenantId)
    .execute();
}

/** Sets one kind's durations for the tenant (a second change replaces the first). */
export async function saveRetentionRule(
  db: DbOrTx,
  row: Insertable<RetentionRuleTable>,
): Promise<void> {
  await db
    .insertInto('retention_rules')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'kind']).doUpdateSet({
        active_days: row.active_days,
        archive_days: row.archive_days,
        reason: row.reason,
        changed_by: row.changed_by,
        changed_at: row.changed_at,
      }),
    )
    .execute();
}
