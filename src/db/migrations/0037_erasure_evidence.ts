import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Erasure that answers for itself: a certificate carries the statement it certifies, as signed
 * with the département's Ed25519 key (the one its audit checkpoints publish), so that it can be
 * read again and verified offline.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.alterTable('erasure_certificates').addColumn('statement', 'text').execute();
    await trx.schema.alterTable('erasure_certificates').addColumn('signature', 'text').execute();
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('erasure_certificates').dropColumn('signature').execute();
  await db.schema.alterTable('erasure_certificates').dropColumn('statement').execute();
}
