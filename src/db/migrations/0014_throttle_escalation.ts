import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * How many times in a row an account was locked without a success in between: each lock lasts
 * twice the one before, so guessing a password or a TOTP code stays bounded over days, not only
 * within one 15-minute window.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('login_throttle')
    .addColumn('lock_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('login_throttle').dropColumn('lock_count').execute();
}
