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
    for (const [column, type] of [
      ['acknowledged_at', 'text'],
      ['acknowledged_by', 'text'],
      ['include_open_cases', 'integer'],
      ['erasure_due_at', 'text'],
      ['cancelled_at', 'text'],
      ['cancelled_by', 'text'],
      ['erased_at', 'text'],
      ['erasure_summary', 'text'],
      ['erasure_signature', 'text'],
    ] as const) {
      await trx.schema.alterTable('export_instructions').addColumn(column, type).execute();
    }
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
  await db.schema.dropTable('export_persons').execute();
  for (const column of [
    'acknowledged_at',
    'acknowledged_by',
    'include_open_cases',
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
