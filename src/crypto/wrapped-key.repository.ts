import type { Selectable } from 'kysely';
import { compiledOnce, firstRow } from '../db/compiled-once.js';
import type { DbOrTx } from '../db/database.js';
import { unindexed } from '../db/sqlite-dialect.js';
import type { PersonKeyTable, TenantSecretTable } from '../db/schema.js';

/**
 * The wrapped keys the vault keeps: each person's data key (person_keys) and the tenant-wide
 * secrets (tenant_secrets), both wrapped by a version of the tenant key.
 */

export type PersonKeyRow = Selectable<PersonKeyTable>;
export type TenantSecretRow = Selectable<TenantSecretTable>;

/** Records the wrapped data key of a new person. */
export async function insertPersonKey(db: DbOrTx, row: PersonKeyRow): Promise<void> {
  await db.insertInto('person_keys').values(row).execute();
}

const personKey = compiledOnce((db, tenantId: string, personId: string) =>
  db
    .selectFrom('person_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', personId),
);

/** The wrapped data key of a person; none once they are erased. */
export function findPersonKey(
  db: DbOrTx,
  tenantId: string,
  personId: string,
): Promise<PersonKeyRow | undefined> {
  return firstRow<PersonKeyRow>(db, personKey(db, tenantId, personId));
}

/** The wrapped data keys of several persons of a tenant (the erased ones have none). */
export function listPersonKeysOf(
  db: DbOrTx,
  tenantId: string,
  personIds: readonly string[],
): Promise<PersonKeyRow[]> {
  return (
    db
      .selectFrom('person_keys')
      .selectAll()
      // Found by their ids: without statistics SQLite would walk the tenant's index instead.
      .where(unindexed('person_keys.tenant_id'), '=', tenantId)
      .where('person_id', 'in', [...personIds])
      .execute()
  );
}

/** The tenant's person keys wrapped by another version than `current`. */
export function listPersonKeysNotWrappedBy(
  db: DbOrTx,
  tenantId: string,
  current: number,
): Promise<PersonKeyRow[]> {
  return db
    .selectFrom('person_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('kek_version', '<>', current)
    .execute();
}

/** Replaces a person key wrapped by `from.kekVersion` with its new wrapping. */
export async function replacePersonKeyWrapping(
  db: DbOrTx,
  from: { personId: string; kekVersion: number },
  to: { kekVersion: number; wrappedKey: Buffer },
): Promise<void> {
  await db
    .updateTable('person_keys')
    .set({ kek_version: to.kekVersion, wrapped_key: to.wrappedKey })
    .where('person_id', '=', from.personId)
    .where('kek_version', '=', from.kekVersion)
    .execute();
}

/** The tenant's secrets wrapped by another version than `current`. */
export function listTenantSecretsNotWrappedBy(
  db: DbOrTx,
  tenantId: string,
  current: number,
): Promise<TenantSecretRow[]> {
  return db
    .selectFrom('tenant_secrets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('kek_version', '<>', current)
    .execute();
}

/** Replaces the wrapping of one tenant secret. */
export async function replaceTenantSecretWrapping(
  db: DbOrTx,
  secret: { tenantId: string; purpose: string },
  to: { kekVersion: number; wrappedKey: Buffer },
): Promise<void> {
  await db
    .updateTable('tenant_secrets')
    .set({ kek_version: to.kekVersion, wrapped_key: to.wrappedKey })
    .where('tenant_id', '=', secret.tenantId)
    .where('purpose', '=', secret.purpose)
    .execute();
}

/** Each (tenant, tenant key version) some wrapped key depends on: person keys, then secrets. */
export async function listKekVersionsInUse(
  db: DbOrTx,
): Promise<Array<{ tenant_id: string; kek_version: number }>> {
  return [
    ...(await db
      .selectFrom('person_keys')
      .select(['tenant_id', 'kek_version'])
      .distinct()
      .execute()),
    ...(await db
      .selectFrom('tenant_secrets')
      .select(['tenant_id', 'kek_version'])
      .distinct()
      .execute()),
  ];
}

/** The tenant key version of every wrapped key of the tenant, one entry per key. */
export async function listKekVersionsOfTenant(
  db: DbOrTx,
  tenantId: string,
): Promise<Array<{ kek_version: number }>> {
  return [
    ...(await db
      .selectFrom('person_keys')
      .select('kek_version')
      .where('tenant_id', '=', tenantId)
      .execute()),
    ...(await db
      .selectFrom('tenant_secrets')
      .select('kek_version')
      .where('tenant_id', '=', tenantId)
      .execute()),
  ];
}

/** The tenant's secret for one purpose (blind index, credentials), if made yet. */
export function findTenantSecret(
  db: DbOrTx,
  tenantId: string,
  purpose: string,
): Promise<TenantSecretRow | undefined> {
  return db
    .selectFrom('tenant_secrets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
}

/**
 * Records a tenant secret unless one exists already (another request made it first), and
 * returns the one stored: whoever lost the race uses the winner's.
 */
export async function insertTenantSecretIfAbsent(
  db: DbOrTx,
  row: TenantSecretRow,
): Promise<TenantSecretRow> {
  await db
    .insertInto('tenant_secrets')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
  return db
    .selectFrom('tenant_secrets')
    .selectAll()
    .where('tenant_id', '=', row.tenant_id)
    .where('purpose', '=', row.purpose)
    .executeTakeFirstOrThrow();
}
