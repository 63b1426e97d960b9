import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * What a session has proven: how the first factor was given, when a second one was (null until
 * then), and a hashed device fingerprint to notice one staff account used from two devices.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('first_factor', 'text', (c) => c.notNull().defaultTo('password'))
    .execute();
  await db.schema.alterTable('sessions').addColumn('mfa_at', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('device_hash', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('device_hash').execute();
  await db.schema.alterTable('sessions').dropColumn('mfa_at').execute();
  await db.schema.alterTable('sessions').dropColumn('first_factor').execute();
}
