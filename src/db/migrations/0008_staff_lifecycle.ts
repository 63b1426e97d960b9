import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Staff lifecycle (THREATS.md T5): roles are granted as rows that a second admin decides, may
 * expire, and are confirmed or revoked in access review campaigns. The account keeps its
 * effective role (role, team) for the rest of the code, plus the instant it stops working
 * (role_expires_at: the grant's expiry or an open review's deadline, whichever comes first), so
 * the session check needs no join and no job to have run.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('role_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    // Null once a refused creation request has had its never-activated account removed.
    .addColumn('account_id', 'text', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('create','change')`))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('team', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`status in ('pending','approved','refused','superseded','revoked','expired','lapsed')`,
        ),
    )
    // Null only for the demo seed, which says so in `reason`.
    .addColumn('requested_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('reason', 'text')
    // Two people, always: nobody decides their own request or a grant to themself.
    .addCheckConstraint(
      'role_grants_second_person',
      sql`decided_by is null or (decided_by <> coalesce(requested_by, '') and decided_by <> coalesce(account_id, ''))`,
    )
    .execute();
  await db.schema
    .createIndex('role_grants_tenant_status')
    .on('role_grants')
    .columns(['tenant_id', 'status'])
    .execute();
  // One open request per account: a second one would race the first to approval.
  await db.schema
    .createIndex('role_grants_one_pending')
    .on('role_grants')
    .column('account_id')
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  // No REFERENCES on columns added to an existing table: SQLite cannot drop such a column
  // (down), and both are set from rows read in the same transaction.
  await db.schema.alterTable('accounts').addColumn('email_verified_at', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('manager_id', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('role_grant_id', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('role_expires_at', 'text').execute();

  await db.schema
    .createTable('access_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('opened_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  // One open campaign per tenant: each account has at most one deadline hanging over its role.
  await db.schema
    .createIndex('access_reviews_one_open')
    .on('access_reviews')
    .column('tenant_id')
    .unique()
    .where(sql.ref('closed_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('access_review_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('review_id', 'text', (c) => c.notNull().references('access_reviews.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    // Null for a role older than role grants (a database migrated from before 0008).
    .addColumn('grant_id', 'text', (c) => c.references('role_grants.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('team', 'text')
    // Null when nobody but the person could review it: it lapses at the deadline.
    .addColumn('reviewer_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending','confirmed','revoked','lapsed','superseded')`),
    )
    .addColumn('decided_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'text')
    .addCheckConstraint(
      'access_review_items_not_self',
      sql`reviewer_id is null or reviewer_id <> account_id`,
    )
    .execute();
  await db.schema
    .createIndex('access_review_items_reviewer')
    .on('access_review_items')
    .columns(['reviewer_id', 'status'])
    .execute();
  await db.schema
    .createIndex('access_review_items_account')
    .on('access_review_items')
    .columns(['account_id', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('access_review_items').execute();
  await db.schema.dropTable('access_reviews').execute();
  await db.schema.alterTable('accounts').dropColumn('role_expires_at').execute();
  await db.schema.alterTable('accounts').dropColumn('role_grant_id').execute();
  await db.schema.alterTable('accounts').dropColumn('manager_id').execute();
  await db.schema.alterTable('accounts').dropColumn('email_verified_at').execute();
  await db.schema.dropTable('role_grants').execute();
}
