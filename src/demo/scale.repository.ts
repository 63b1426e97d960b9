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

/** The sequence number of a chain's last event (0: none). */
export async function lastEventSeq(db: DbOrTx, chain: string): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('chain', '=', chain)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}
