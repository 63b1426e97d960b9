import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Disabling an account that holds admin or DPO, and re-enabling any staff account, is asked by
 * one admin and decided by another, like a role grant. The database refuses a decision by the
 * person who asked or the person concerned, whatever the service does. A re-enabled account
 * gets a fresh dormancy clock (reenabled_at) rather than a made-up last login. Ending a usager's
 * sessions is a support action: its category in clear, its written reason sealed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account_status_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('disable','enable')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending','approved','refused','cancelled')`),
    )
    .addColumn('requested_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'text')
    // Why it was closed without a decision (account-disabled); never free text.
    .addColumn('reason', 'text')
    .addCheckConstraint('account_status_requests_not_self', sql`requested_by <> account_id`)
    .addCheckConstraint(
      'account_status_requests_second_person',
      sql`decided_by is null or (decided_by <> requested_by and decided_by <> account_id)`,
    )
    .execute();
  await db.schema
    .createIndex('account_status_requests_tenant_status')
    .on('account_status_requests')
    .columns(['tenant_id', 'status'])
    .execute();
  // One open request per account: a second one would race the first to approval.
  await db.schema
    .createIndex('account_status_requests_one_pending')
    .on('account_status_requests')
    .column('account_id')
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await db.schema.alterTable('accounts').addColumn('reenabled_at', 'text').execute();

  await db.schema
    .createTable('support_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('end-sessions')`))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('reason_enc', 'blob', (c) => c.notNull())
    .addColumn('acted_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('acted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('support_actions_account')
    .on('support_actions')
    .column('account_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('support_actions').execute();
  await db.schema.alterTable('accounts').dropColumn('reenabled_at').execute();
  await db.schema.dropTable('account_status_requests').execute();
}
