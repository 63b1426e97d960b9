import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Instructions to export or migrate data: who ordered what, why, for whom, and the DPO's
 * approval. Nothing leaves in bulk without one. What an instruction says never changes once
 * written (a change is a new instruction): a trigger refuses it, so that an approval always
 * covers exactly what was approved. Four eyes are a CHECK too: the approver is not the orderer.
 * The texts are the département's own (purpose, legal basis, the recipient organisation and its
 * contact), no person's data, so they stay readable for the DPO's register.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute((trx) => migrate(trx));
}

async function migrate(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('export_instructions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('export','migration')`))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    .addColumn('recipient_contact', 'text', (c) => c.notNull())
    .addColumn('recipient_medical', 'integer', (c) =>
      c.notNull().check(sql`recipient_medical in (0, 1)`),
    )
    .addColumn('medical_reason', 'text')
    .addColumn('age_recipient', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('document_categories', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`status in ('pending','approved','refused','running','ready','failed','expired','acknowledged','erased','cancelled')`,
        ),
    )
    .addColumn('ordered_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('ordered_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'text')
    .addColumn('refusal_reason', 'text')
    .addCheckConstraint(
      'export_instructions_four_eyes',
      sql`decided_by is null or decided_by <> ordered_by`,
    )
    .execute();
  await db.schema
    .createIndex('export_instructions_tenant')
    .on('export_instructions')
    .columns(['tenant_id', 'ordered_at'])
    .execute();
  await sql`CREATE TRIGGER export_instructions_immutable
    BEFORE UPDATE OF id, tenant_id, kind, purpose, legal_basis, recipient_name, recipient_contact,
      recipient_medical, medical_reason, age_recipient, scope, fields, document_categories,
      expires_at, ordered_by, ordered_at ON export_instructions
    BEGIN SELECT RAISE(ABORT, 'an export instruction never changes: order a new one'); END`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('export_instructions').execute();
}
