import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A migration's end: the persons a run exported (what the source's erasure may erase, never a
 * scope recomputed later), the recipient's acknowledgement of the manifest it received, the
 * grace period before the erasure, and the signed summary of what was erased and what was kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('export_persons')
      .addColumn('instruction_id', 'text', (c) => c.notNull().references('export_instructions.id'))
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('export_persons_pk', ['instruction_id', 'person_id'])
      .execute();
    // The cases the run wrote: a person is erased only when every case of theirs left with it.
    await trx.schema
      .createTable('export_cases')
      .addColumn('instruction_id', 'text', (c) => c.notNull().references('export_instructions.id'))
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('export_cases_pk', ['instruction_id', 'case_id'])
      .execute();
    for (const [column, type] of [
      // Part of what is ordered and approved: whether a migration's erasure takes open cases.
      ['erase_open_cases', 'integer'],
      // SHA-256 of the receipt code written inside the encrypted manifest: only the recipient
      // can read it, so only they can acknowledge.
      ['receipt_hash', 'text'],
      ['acknowledged_at', 'text'],
      ['acknowledged_by', 'text'],
      ['erasure_due_at', 'text'],
      ['cancelled_at', 'text'],
      ['cancelled_by', 'text'],
      ['erased_at', 'text'],
      ['erasure_summary', 'text'],
      ['erasure_signature', 'text'],
    ] as const) {
      await trx.schema.alterTable('export_instructions').addColumn(column, type).execute();
    }
    await sql`CREATE TRIGGER export_instructions_erase_open_cases_immutable
      BEFORE UPDATE OF erase_open_cases ON export_instructions
      BEGIN SELECT RAISE(ABORT, 'an export instruction never changes: order a new one'); END`.execute(
      trx,
    );
    // The acknowledger is the DPO, never the orderer: the same four eyes as the approval.
    await sql`CREATE TRIGGER export_instructions_acknowledger
      BEFORE UPDATE OF acknowledged_by ON export_instructions
      WHEN NEW.acknowledged_by = NEW.ordered_by
      BEGIN SELECT RAISE(ABORT, 'an export is acknowledged by someone other than its orderer'); END`.execute(
      trx,
    );
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS export_instructions_acknowledger`.execute(db);
  await sql`DROP TRIGGER IF EXISTS export_instructions_erase_open_cases_immutable`.execute(db);
  await db.schema.dropTable('export_persons').execute();
  await db.schema.dropTable('export_cases').execute();
  for (const column of [
    'erase_open_cases',
    'receipt_hash',
    'acknowledged_at',
    'acknowledged_by',
    'erasure_due_at',
    'cancelled_at',
    'cancelled_by',
    'erased_at',
    'erasure_summary',
    'erasure_signature',
  ]) {
    await db.schema.alterTable('export_instructions').dropColumn(column).execute();
  }
}
