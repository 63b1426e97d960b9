import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Invitations to take over online a file the accueil registered on paper. The code is never
 * stored: only its keyed blind index under a tenant secret, so a copy of the database gives no
 * code to claim. One person has at most one pending invitation (a new one replaces the last).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // One transaction: SQLite's DDL is transactional, and a crash halfway must leave the
  // database as it was before, never a table dropped and not yet replaced.
  await db.transaction().execute((trx) => migrate(trx));
}

async function migrate(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('person_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email','letter')`))
    .addColumn('code_index', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending','claimed','revoked','expired')`),
    )
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('claimed_by', 'text', (c) => c.references('accounts.id'))
    .execute();
  await db.schema
    .createIndex('person_invitations_code')
    .on('person_invitations')
    .columns(['tenant_id', 'code_index'])
    .unique()
    .execute();
  await db.schema
    .createIndex('person_invitations_pending')
    .on('person_invitations')
    .columns(['tenant_id', 'person_id'])
    .where(sql.ref('status'), '=', 'pending')
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('person_invitations').execute();
}
