import type { Insertable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { TenantTable } from '../../db/schema.js';

/** Every tenant's id and code (the département number), by code. */
export function listTenants(db: DbOrTx) {
  return db.selectFrom('tenants').select(['id', 'code']).orderBy('code').execute();
}

/** Every tenant's id, in the order the database keeps them. */
export async function listTenantIds(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('tenants').select('id').execute();
  return rows.map((t) => t.id);
}

/** The id and code of a tenant that must exist. */
export function getTenant(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('tenants')
    .select(['id', 'code', 'name'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
}

/** Whether the database holds any tenant at all. */
export async function hasAnyTenant(db: DbOrTx): Promise<boolean> {
  const rows = await db.selectFrom('tenants').select('id').limit(1).execute();
  return rows.length > 0;
}

/** Records a new tenant. */
export async function insertTenant(db: DbOrTx, row: Insertable<TenantTable>): Promise<void> {
  await db.insertInto('tenants').values(row).execute();
}

/** The tenant with this code (the département number, "44"), if any. */
export function findTenantByCode(db: DbOrTx, code: string) {
  return db
    .selectFrom('tenants')
    .select(['id', 'code', 'name'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/** The code of the tenant with this id; throws when there is no such tenant. */
export function findTenantCode(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('tenants')
    .select('code')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
}

/**
 * The départements as the operator sees them: code, name, creation, and how many of their admins
 * are active or still to activate (nothing inside a département).
 */
export function listTenantsWithAdmins(db: DbOrTx) {
  return db
    .selectFrom('tenants')
    .leftJoin('accounts', (j) =>
      j
        .onRef('accounts.tenant_id', '=', 'tenants.id')
        .on('accounts.kind', '=', 'staff')
        .on('accounts.role', '=', 'admin'),
    )
    .select((eb) => [
      'tenants.id',
      'tenants.code',
      'tenants.name',
      'tenants.created_at',
      eb.fn
        .sum<number>(eb.case().when('accounts.status', '=', 'active').then(1).else(0).end())
        .as('active_admins'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when('accounts.disabled_reason', '=', 'awaiting-activation')
            .then(1)
            .else(0)
            .end(),
        )
        .as('admins_to_activate'),
    ])
    .groupBy('tenants.id')
    .orderBy('tenants.code')
    .execute();
}
