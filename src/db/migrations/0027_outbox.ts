import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The outbox: every mail and alert delivery is a row written in the transaction of the change
 * that causes it, so it exists exactly when that change commits and survives a crash; a worker
 * sends it, retries with backoff, and forgets its content once sent. Recipient and body are
 * sealed (a one-time link is a credential); a mail to an account names the account, and its
 * address is read at send time. Alongside: the platform's outbox key (mails of no tenant) and
 * the usagers' choices of optional notices.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    /** mail | alert */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** What it is (reset, pieces-requested, alert...): for logs and counts, never content. */
    .addColumn('topic', 'text', (c) => c.notNull())
    /** A mail for an account: its address is read when sending. */
    .addColumn('account_id', 'text')
    /** 1: an account awaiting activation may receive it (its activation link). */
    .addColumn('to_inactive', 'integer', (c) => c.notNull().defaultTo(0))
    /** An alert delivery: the channel and the alert, both read when sending. */
    .addColumn('channel_id', 'text')
    .addColumn('alert_id', 'text')
    /** Sealed JSON { to?, subject, text } of a mail; null once sent or given up. */
    .addColumn('payload_enc', 'blob')
    /** pending | sending | sent | bounced | dead */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    /** While sending: who holds the row, and until when. */
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    /** A code (ECONNREFUSED, SMTP_550), never a message that may quote an address. */
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outbox_due')
    .on('outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('outbox_keys')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('kek_version', 'integer', (c) => c.notNull())
    .addColumn('wrapped_key', 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('notice', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['account_id', 'notice'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_preferences').execute();
  await db.schema.dropTable('outbox_keys').execute();
  await db.schema.dropTable('outbox').execute();
}
