import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * An integration token bound to one export instruction, for the recipient's system: it downloads
 * that export and, for a migration, posts its acknowledgement, and nothing else. At most one
 * live token per instruction. An acknowledgement posted by such a token names the token, never
 * an account: the four-eyes trigger on acknowledged_by stays as it is, and a second one makes
 * sure a token acknowledger is the token bound to that very instruction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .alterTable('api_tokens')
      .addColumn('export_instruction_id', 'text', (c) => c.references('export_instructions.id'))
      .execute();
    await sql`CREATE UNIQUE INDEX api_tokens_one_live_per_export ON api_tokens (export_instruction_id)
      WHERE export_instruction_id IS NOT NULL AND revoked_at IS NULL`.execute(trx);
    await trx.schema
      .alterTable('export_instructions')
      .addColumn('acknowledged_by_token', 'text', (c) => c.references('api_tokens.id'))
      .execute();
    await sql`CREATE TRIGGER export_instructions_token_acknowledger
      BEFORE UPDATE OF acknowledged_by_token ON export_instructions
      WHEN NEW.acknowledged_by_token IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM api_tokens
        WHERE id = NEW.acknowledged_by_token AND export_instruction_id = NEW.id
          AND tenant_id = NEW.tenant_id)
      BEGIN SELECT RAISE(ABORT, 'only the token bound to an export acknowledges it'); END`.execute(
      trx,
    );
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS export_instructions_token_acknowledger`.execute(db);
  await db.schema.alterTable('export_instructions').dropColumn('acknowledged_by_token').execute();
  await sql`DROP INDEX IF EXISTS api_tokens_one_live_per_export`.execute(db);
  await db.schema.alterTable('api_tokens').dropColumn('export_instruction_id').execute();
}
