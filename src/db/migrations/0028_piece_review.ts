import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Completeness for real. A document carries the review of an agent (pending until someone
 * accepts or rejects it; the reason of a rejection sealed under the person's key, since it speaks
 * about their file), the date of a medical certificate (sealed: a date tied to a health
 * document), and, once replaced, which upload superseded it and when (it stays for the record).
 * A mandate gets the proofs its representative uploads (sealed blobs, like case documents), the
 * proof that was in view when an agent verified it, and how it ended early (sealed reason).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('documents')
    .addColumn('review_status', 'text', (c) => c.notNull().defaultTo('pending'))
    .execute();
  for (const [column, type] of [
    ['review_reason_enc', 'blob'],
    ['reviewed_by', 'text'],
    ['reviewed_at', 'text'],
    ['issued_on_enc', 'blob'],
    ['superseded_by', 'text'],
    ['superseded_at', 'text'],
  ] as const) {
    await db.schema.alterTable('documents').addColumn(column, type).execute();
  }
  await db.schema
    .createTable('mandate_proofs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('mandate_id', 'text', (c) => c.notNull().references('mandates.id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    // 'jugement_tutelle', 'livret_famille' or 'attestation'.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('original_name_enc', 'blob', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256_enc', 'blob', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mandate_proofs_mandate')
    .on('mandate_proofs')
    .columns(['tenant_id', 'mandate_id', 'created_at'])
    .execute();
  for (const [column, type] of [
    ['verified_proof_id', 'text'],
    ['ended_at', 'text'],
    ['ended_by', 'text'],
    ['end_reason_enc', 'blob'],
  ] as const) {
    await db.schema.alterTable('mandates').addColumn(column, type).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['end_reason_enc', 'ended_by', 'ended_at', 'verified_proof_id']) {
    await db.schema.alterTable('mandates').dropColumn(column).execute();
  }
  await db.schema.dropTable('mandate_proofs').execute();
  for (const column of [
    'superseded_at',
    'superseded_by',
    'issued_on_enc',
    'reviewed_at',
    'reviewed_by',
    'review_reason_enc',
    'review_status',
  ]) {
    await db.schema.alterTable('documents').dropColumn(column).execute();
  }
}
