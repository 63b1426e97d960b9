import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Alerts raised by the detection rules, and where each tenant wants them sent. A webhook's
 * signing secret is sealed under the tenant's credential secret, like a TOTP seed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alert_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'blob', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    // What the alert is about (an account id, a token id, or the hash of an address).
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    // JSON array of the security event ids that make the evidence.
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .execute();
  // The detection rules count an actor's recent events.
  await db.schema
    .createIndex('security_events_account_at')
    .on('security_events')
    .columns(['account_id', 'at'])
    .execute();
  await db.schema
    .createIndex('alerts_dedup')
    .on('alerts')
    .columns(['tenant_id', 'rule', 'subject', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alerts').execute();
  await db.schema.dropTable('alert_channels').execute();
}
