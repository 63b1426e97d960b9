import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Browsers that have signed in to an account before (device cookies): their sign-ins are
 * throttled on their own, so a stranger's wrong guesses, which lock the account for unknown
 * clients, never lock out its owner. Only the SHA-256 of the cookie's token is kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('trusted_devices')
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('trusted_devices_pk', ['token_hash', 'account_id'])
    .execute();
  await db.schema
    .createIndex('trusted_devices_account')
    .on('trusted_devices')
    .column('account_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('trusted_devices').execute();
}
