import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Detection over the committed audit log: where the detector stopped in each chain, each
 * tenant's thresholds and working hours, and each tenant's decoy case.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alert_cursors')
    .addColumn('chain', 'text', (c) => c.primaryKey())
    // The last sequence number of the chain the rules have run on.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // A log written before the detector existed is history, not news: start after it, so that
  // upgrading does not raise months-old alerts in one burst.
  await sql`INSERT INTO alert_cursors (chain, seq, updated_at)
    SELECT chain, MAX(seq), MAX(at) FROM audit_events GROUP BY chain`.execute(db);
  // The rules count events within a window of time of one chain: most of them one actor's, so
  // that index names the actor too (an expression index: the query must spell it the same way,
  // see detection.repository.ts). Without it every pass would parse every event of the window.
  await db.schema
    .createIndex('audit_events_chain_at')
    .on('audit_events')
    .columns(['chain', 'at'])
    .execute();
  await sql`CREATE INDEX audit_events_chain_actor_at
    ON audit_events (chain, json_extract(entry, '$.actorId'), at)`.execute(db);

  // Only what a tenant changed is stored; anything absent is the deployment's default.
  await db.schema
    .createTable('alert_rule_settings')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('window_seconds', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_rule_settings_pk', ['tenant_id', 'rule'])
    .execute();
  await db.schema
    .createTable('alert_working_hours')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    // JSON array of ISO week days (1 = Monday).
    .addColumn('days', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Kept apart from `cases` and `persons` so that no query of those tables can carry the marker
  // into a response. No foreign keys: erasing the decoy person (itself a touch) deletes its case,
  // and the marker must outlive it for the detector to recognise the erasure's event and any
  // later use of the ids; a tenant whose decoy is gone is given a new one by `decoys seed`.
  await db.schema
    .createTable('decoys')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('decoys_person').on('decoys').column('person_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('decoys').execute();
  await db.schema.dropTable('alert_working_hours').execute();
  await db.schema.dropTable('alert_rule_settings').execute();
  await db.schema.dropIndex('audit_events_chain_actor_at').execute();
  await db.schema.dropIndex('audit_events_chain_at').execute();
  await db.schema.dropTable('alert_cursors').execute();
}
