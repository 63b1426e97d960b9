import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Why and when an account was disabled (dormancy, offboarding), for reviews and alerts. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('disabled_at', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('disabled_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('disabled_reason').execute();
  await db.schema.alterTable('accounts').dropColumn('disabled_at').execute();
}
