import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * API tokens for a département's own systems. Only a SHA-256 of each token is kept: the token
 * carries 256 random bits, so a fast hash is as good as a password hash against a stolen
 * database, and it keeps every request cheap. Security events gain the token an integration
 * acted with, since such a request has no account behind it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('allowed_ranges', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('approved_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('revoked_reason', 'text')
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_tenant').on('api_tokens').column('tenant_id').execute();
  await db.schema
    .createIndex('api_tokens_created_by')
    .on('api_tokens')
    .column('created_by')
    .execute();
  await db.schema.alterTable('security_events').addColumn('token_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('security_events').dropColumn('token_id').execute();
  await db.schema.dropTable('api_tokens').execute();
}
