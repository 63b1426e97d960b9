import type { DbOrTx } from '../../db/database.js';

/** The département and the person a notification letter is addressed from and to (sealed). */
export async function findLetterParties(db: DbOrTx, c: { tenantId: string; personId: string }) {
  const tenant = await db
    .selectFrom('tenants')
    .select(['code', 'name'])
    .where('id', '=', c.tenantId)
    .executeTakeFirstOrThrow();
  const person = await db
    .selectFrom('persons')
    .select(['id', 'first_name_enc', 'last_name_enc', 'address_enc'])
    .where('tenant_id', '=', c.tenantId)
    .where('id', '=', c.personId)
    .executeTakeFirstOrThrow();
  return { tenant, person };
}
