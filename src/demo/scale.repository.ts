import type { DbOrTx } from '../db/database.js';

/**
 * What the scale seed reads back of the normal demo: the staff of a tenant it attributes the
 * history to. Everything it writes goes through the repositories the application writes with.
 */

/** The active staff accounts of a tenant, in a stable order (by e-mail address). */
export function listStaffOfTenant(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'role', 'team', 'email'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'staff')
    .where('status', '=', 'active')
    .orderBy('email')
    .execute();
}
