import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Usager sign-up: when an account proved it owns its e-mail address, at most one own person per
 * account, and a per-address count of the mails anyone can make Cloison send (reset links,
 * sign-up notices), so nobody can use them to flood a mailbox.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // accounts.email_verified_at comes from 0008 (staff activation verifies the address too).
  // Every usager so far was created by the seed or an agent, never by sign-up: nothing is pending.
  await db
    .updateTable('accounts')
    .set({ email_verified_at: sql`created_at` })
    .where('kind', '=', 'usager')
    .where('email_verified_at', 'is', null)
    .execute();

  // A usager declares their own person once (POST /persons/self); the database holds to it too.
  await db.schema
    .createIndex('persons_own_account')
    .on('persons')
    .column('account_id')
    .unique()
    .where(sql.ref('account_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('mail_throttle')
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('requests', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // email_verified_at is 0008's.
  await db.schema.dropTable('mail_throttle').execute();
  await db.schema.dropIndex('persons_own_account').execute();
}
