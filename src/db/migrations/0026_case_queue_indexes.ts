import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The case queue (GET /api/v1/cases) on a département's real volume: each list is one tenant's
 * cases, newest activity first (`updated_at desc, id`), cut to a page. With these indexes the
 * first page is read in that order and stops after the page, instead of sorting the tenant's
 * every case: the tenant's queue for the roles that see it whole or filter it by team or
 * assignment, and by status for the CDAPH's agenda and the status filter. The second replaces
 * cases_tenant_status, its prefix.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('cases_tenant_updated')
    .on('cases')
    .columns(['tenant_id', 'updated_at desc', 'id'])
    .execute();
  await db.schema
    .createIndex('cases_tenant_status_updated')
    .on('cases')
    .columns(['tenant_id', 'status', 'updated_at desc', 'id'])
    .execute();
  await db.schema.dropIndex('cases_tenant_status').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('cases_tenant_status')
    .on('cases')
    .columns(['tenant_id', 'status'])
    .execute();
  await db.schema.dropIndex('cases_tenant_status_updated').execute();
  await db.schema.dropIndex('cases_tenant_updated').execute();
}
