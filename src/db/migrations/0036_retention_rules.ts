import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A département's own retention durations, set by its DPO within the bounds of the schedule
 * (src/policy/retention-schedule.ts): one row per kind of data they changed, the others keep
 * their defaults. Who changed what and when is in the audit log as well.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('retention_rules')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('active_days', 'integer', (c) => c.notNull().check(sql`active_days > 0`))
    .addColumn('archive_days', 'integer', (c) => c.notNull().check(sql`archive_days >= 0`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('retention_rules_pk', ['tenant_id', 'kind'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('retention_rules').execute();
}
