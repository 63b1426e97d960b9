import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Personal and health fields: clear text columns before this migration, sealed values after. */
const SEALED: Array<[table: string, clear: string, sealed: string]> = [
  ['persons', 'first_name', 'first_name_enc'],
  ['persons', 'last_name', 'last_name_enc'],
  ['persons', 'birth_date', 'birth_date_enc'],
  ['persons', 'nir', 'nir_enc'],
  ['persons', 'address', 'address_enc'],
  ['cases', 'summary', 'summary_enc'],
  ['case_rights', 'decision_reason', 'decision_reason_enc'],
  ['case_transitions', 'comment', 'comment_enc'],
  ['documents', 'original_name', 'original_name_enc'],
  // A hash of the clear bytes would let anyone confirm a document they can guess.
  ['documents', 'sha256', 'sha256_enc'],
  ['messages', 'body', 'body_enc'],
  ['notes', 'body', 'body_enc'],
];

/**
 * Encryption at rest (THREATS.md T2): sealed columns replace the clear ones, per-person data
 * keys and per-tenant secrets are stored wrapped. Clear values cannot be converted by SQL alone
 * (it takes the key manager), and no release ever stored them: a database holding persons from
 * the pre-release schema is refused with a clear message rather than half-converted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from persons`.execute(db);
  if (Number(rows[0]?.n ?? 0) > 0) {
    throw new Error(
      'this data directory was created by a pre-release build that stored personal data in clear; ' +
        'start with an empty CLOISON_DATA_DIR (demo data is re-created by `npm start`)',
    );
  }
  for (const [table, clear, sealed] of SEALED) {
    await db.schema.alterTable(table).dropColumn(clear).execute();
    await db.schema.alterTable(table).addColumn(sealed, 'blob').execute();
  }
  // Keyed blind index: lets an agent find a person by NIR without the NIR being stored.
  await db.schema.alterTable('persons').addColumn('nir_index', 'text').execute();
  await db.schema
    .createIndex('persons_nir_index')
    .on('persons')
    .columns(['tenant_id', 'nir_index'])
    .execute();

  await db.schema
    .createTable('person_keys')
    // No foreign key to persons: the key is created first, in the same transaction as its person.
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kek_version', 'integer', (c) => c.notNull())
    .addColumn('wrapped_key', 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('person_keys_kek')
    .on('person_keys')
    .columns(['tenant_id', 'kek_version'])
    .execute();

  await db.schema
    .createTable('tenant_secrets')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('kek_version', 'integer', (c) => c.notNull())
    .addColumn('wrapped_key', 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_secrets_pk', ['tenant_id', 'purpose'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('encryption at rest cannot be undone by a migration');
}
