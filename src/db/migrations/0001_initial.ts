import { sql, type Kysely } from 'kysely';

// Typed against Kysely<any> on purpose: a migration is frozen in time and must not follow later
// changes of the schema types.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** Creates the core portal tables: tenants, accounts, persons, mandates, cases and their content. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('usager','staff','operateur')`),
    )
    .addColumn('role', 'text')
    .addColumn('team', 'text')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active','disabled')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    // An operator belongs to no tenant; everybody else belongs to exactly one.
    .addCheckConstraint(
      'accounts_tenant_by_kind',
      sql`(kind = 'operateur' and tenant_id is null) or (kind <> 'operateur' and tenant_id is not null)`,
    )
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

  await db.schema
    .createTable('persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.references('accounts.id').unique())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('nir', 'text')
    .addColumn('address', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('persons_tenant').on('persons').column('tenant_id').execute();

  await db.schema
    .createTable('mandates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('representative_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('parent','tuteur','aidant')`))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('verified_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('verified_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('mandates_dates', sql`starts_on <= ends_on`)
    .execute();
  await db.schema
    .createIndex('mandates_representative')
    .on('mandates')
    .columns(['representative_account_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('filed_by_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('team', 'text')
    .addColumn('instructeur_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('evaluateur_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('summary', 'text')
    .addColumn('pieces_deadline', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cases_tenant_status')
    .on('cases')
    .columns(['tenant_id', 'status'])
    .execute();
  await db.schema.createIndex('cases_person').on('cases').column('person_id').execute();

  await db.schema
    .createTable('case_rights')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('right_code', 'text', (c) => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'text')
    .addUniqueConstraint('case_rights_unique', ['case_id', 'right_code'])
    .execute();

  await db.schema
    .createTable('case_transitions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('comment', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_transitions_case')
    .on('case_transitions')
    .column('case_id')
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('piece', 'text')
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('documents_case').on('documents').column('case_id').execute();

  for (const table of ['messages', 'notes']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('author_account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex(`${table}_case`).on(table).column('case_id').execute();
  }

  await db.schema
    .createTable('security_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('account_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text')
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('route', 'text')
    .addColumn('ip', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('security_events_at').on('security_events').column('at').execute();
}

/** Drops everything the initial migration created. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'security_events',
    'notes',
    'messages',
    'documents',
    'case_transitions',
    'case_rights',
    'cases',
    'mandates',
    'persons',
    'sessions',
    'accounts',
    'tenants',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
