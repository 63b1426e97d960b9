import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * What the run of an instruction did: its progress (cases, persons, documents, bytes), the
 * hashes of the file and of its manifest (what a recipient acknowledges), and why it failed.
 * None of it is covered by the instruction's immutability: the instruction said what to do,
 * these say what was done.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [column, type] of [
      ['progress', 'text'],
      ['run_started_at', 'text'],
      ['run_finished_at', 'text'],
      ['run_attempts', 'integer'],
      ['failure', 'text'],
      ['output_sha256', 'text'],
      ['output_bytes', 'integer'],
      ['manifest_sha256', 'text'],
      ['file_deleted_at', 'text'],
    ] as const) {
      await trx.schema.alterTable('export_instructions').addColumn(column, type).execute();
    }
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of [
    'progress',
    'run_started_at',
    'run_finished_at',
    'run_attempts',
    'failure',
    'output_sha256',
    'output_bytes',
    'manifest_sha256',
    'file_deleted_at',
  ]) {
    await db.schema.alterTable('export_instructions').dropColumn(column).execute();
  }
}
