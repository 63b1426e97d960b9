import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * CDAPH sessions: a dated sitting of one formation, the members who sit in it and its agenda.
 * A member reads the cases of the agenda only from `agenda_opens_on` (fixed when the session is
 * planned, so a later change of the setting does not reopen or shorten a published agenda)
 * until the session is closed. Decisions per right now carry their validity and the session
 * they were taken in.
 *
 * `cdaph_agenda_items.pending` is 1 while the session is planned or in progress and 0 once it is
 * closed: the partial unique index keeps a case on one pending agenda at most, whatever two
 * requests racing each other do.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cdaph_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('sits_on', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('formation', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('planned','in_progress','closed')`),
    )
    .addColumn('agenda_opens_on', 'text', (c) => c.notNull())
    .addColumn('minutes_enc', 'blob')
    .addColumn('created_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text', (c) => c.references('accounts.id'))
    .execute();
  await db.schema
    .createIndex('cdaph_sessions_tenant_day')
    .on('cdaph_sessions')
    .columns(['tenant_id', 'sits_on'])
    .execute();

  await db.schema
    .createTable('cdaph_session_members')
    .addColumn('session_id', 'text', (c) => c.notNull().references('cdaph_sessions.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addPrimaryKeyConstraint('cdaph_session_members_pk', ['session_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('cdaph_session_members_account')
    .on('cdaph_session_members')
    .columns(['account_id', 'session_id'])
    .execute();

  await db.schema
    .createTable('cdaph_agenda_items')
    .addColumn('session_id', 'text', (c) => c.notNull().references('cdaph_sessions.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('added_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cdaph_agenda_items_pk', ['session_id', 'case_id'])
    .execute();
  await db.schema
    .createIndex('cdaph_agenda_items_one_pending')
    .on('cdaph_agenda_items')
    .column('case_id')
    .unique()
    .where(sql.ref('pending'), '=', 1)
    .execute();

  await db.schema.alterTable('case_rights').addColumn('valid_from', 'text').execute();
  await db.schema.alterTable('case_rights').addColumn('valid_until', 'text').execute();
  await db.schema
    .alterTable('case_rights')
    .addColumn('session_id', 'text', (c) => c.references('cdaph_sessions.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_rights').dropColumn('session_id').execute();
  await db.schema.alterTable('case_rights').dropColumn('valid_until').execute();
  await db.schema.alterTable('case_rights').dropColumn('valid_from').execute();
  await db.schema.dropTable('cdaph_agenda_items').execute();
  await db.schema.dropTable('cdaph_session_members').execute();
  await db.schema.dropTable('cdaph_sessions').execute();
}
