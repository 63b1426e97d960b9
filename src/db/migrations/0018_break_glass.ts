import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Break-glass grants: a staff member opened a case outside their assignment,
 * with a written reason (sealed under the person's key: it may name them, and it goes with
 * their erasure), for a limited time. The DPO reviews each one afterwards.
 * Also the département's choice of showing agents' names in "who consulted my file" (off by
 * default: role, service and purpose only).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('break_glass_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('reason_enc', 'blob', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    // 'justified' or 'unjustified' once the DPO looked at it.
    .addColumn('verdict', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .execute();
  await db.schema
    .createIndex('break_glass_grants_account_case')
    .on('break_glass_grants')
    .columns(['account_id', 'case_id', 'expires_at'])
    .execute();
  await db.schema
    .alterTable('tenants')
    .addColumn('consultations_show_names', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('break_glass_grants_tenant_opened')
    .on('break_glass_grants')
    .columns(['tenant_id', 'opened_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').dropColumn('consultations_show_names').execute();
  await db.schema.dropTable('break_glass_grants').execute();
}
