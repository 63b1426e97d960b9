import type { DbOrTx } from '../../db/database.js';

/** An active staff account of the tenant holding the role, if any. */
export function findActiveStaff(db: DbOrTx, tenantId: string, accountId: string, role: string) {
  return db
    .selectFrom('accounts')
    .select(['id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .where('kind', '=', 'staff')
    .where('role', '=', role)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** Staff of one tenant, for assignment pickers and access reviews. */
export function listStaffOfTenant(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'display_name', 'role', 'team', 'status', 'disabled_reason'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'staff')
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}
