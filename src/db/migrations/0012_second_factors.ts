import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Second factors. TOTP secrets are sealed under the tenant's credential secret (a copy of the
 * database generates no code); passkeys are public keys; recovery codes are SHA-256 hashes of
 * 80-bit random codes. accounts.mfa_enrolled_at says whether an account has a usable factor,
 * so resolving a session needs no extra query.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('mfa_enrolled_at', 'text').execute();
  await db.schema
    .createTable('totp_credentials')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('secret_enc', 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    // The last time step accepted: a code is good once (RFC 6238 §5.2).
    .addColumn('last_step', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('passkeys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('public_key', 'blob', (c) => c.notNull())
    .addColumn('sign_count', 'integer', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('passkeys_account').on('passkeys').column('account_id').execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('recovery_codes_account')
    .on('recovery_codes')
    .column('account_id')
    .execute();
  // A WebAuthn challenge belongs to one session and one ceremony, and is good once.
  await db.schema.alterTable('sessions').addColumn('challenge', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('challenge_purpose', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('challenge_expires_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['challenge_expires_at', 'challenge_purpose', 'challenge'])
    await db.schema.alterTable('sessions').dropColumn(c).execute();
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.dropTable('passkeys').execute();
  await db.schema.dropTable('totp_credentials').execute();
  await db.schema.alterTable('accounts').dropColumn('mfa_enrolled_at').execute();
}
