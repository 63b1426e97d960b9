import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Proof that a person was erased: who asked, when, why, which key was destroyed. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('erasure_certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    // No foreign key: the person row is gone, the certificate stays.
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'text', (c) => c.notNull())
    .addColumn('data_key_id', 'text', (c) => c.notNull())
    .addColumn('tenant_key_retired', 'integer')
    .addColumn('master_key_id', 'text')
    .addColumn('copies_unreadable', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('erasure_certificates').execute();
}
