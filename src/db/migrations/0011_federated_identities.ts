import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * OpenID Connect federation (FranceConnect, ProConnect).
 *
 * `account_identities` links an account to one identity per provider. The provider's subject is
 * kept only as SHA-256(issuer, sub): a lookup key, not a readable identifier.
 *
 * `oidc_flows` holds a sign-in or link flow between its start and the provider's callback, for
 * ten minutes and once. It holds no secret: the state and the browser-binding cookie are stored
 * as SHA-256, and the PKCE verifier is derived from the binding cookie, never stored.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account_identities')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('subject_hash', 'text', (c) => c.notNull())
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    // One identity of each provider per account, and one account per identity.
    .addPrimaryKeyConstraint('account_identities_pk', ['account_id', 'provider'])
    .addUniqueConstraint('account_identities_subject', ['provider', 'subject_hash'])
    .execute();

  await db.schema
    .createTable('oidc_flows')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('binding_hash', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('intent', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oidc_flows_expiry').on('oidc_flows').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_flows').execute();
  await db.schema.dropTable('account_identities').execute();
}
