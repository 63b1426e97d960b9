import type { DbOrTx } from '../../db/database.js';

/** The tenant with this code (the département number, "44"), if any. */
export function findTenantByCode(db: DbOrTx, code: string) {
  return db.selectFrom('tenants').select('id').where('code', '=', code).executeTakeFirst();
}

/** The code of the tenant with this id; throws when there is no such tenant. */
export function findTenantCode(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('tenants')
    .select('code')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
}
