import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Retention of the audit log. Purging the oldest events of a chain leaves a
 * marker: the last sequence number purged, the chain hash there, the last purged event itself
 * and the RFC 6962 compact range of the events before it, so the chain and every signed
 * checkpoint covering the purge still verify. Markers are append-only and only move forward;
 * the delete trigger of audit_events now lets through exactly the rows at or below the chain's
 * marker, and no event may be inserted there afterwards.
 *
 * Also: the platform chain's signing key is wrapped by the key manager (kek_version says under
 * which version), and the HTTP witness keeps, per chain, the last checkpoint it accepted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_retention')
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('through_seq', 'integer', (c) => c.notNull())
    .addColumn('chain_hash', 'text', (c) => c.notNull())
    .addColumn('prev_chain_hash', 'text', (c) => c.notNull())
    .addColumn('last_entry', 'text', (c) => c.notNull())
    .addColumn('tree_range', 'text', (c) => c.notNull())
    .addColumn('purged_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_retention_pk', ['chain', 'through_seq'])
    .execute();
  await sql`CREATE TRIGGER audit_retention_no_update BEFORE UPDATE ON audit_retention
    BEGIN SELECT RAISE(ABORT, 'audit_retention is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_retention_no_delete BEFORE DELETE ON audit_retention
    BEGIN SELECT RAISE(ABORT, 'audit_retention is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_retention_forward BEFORE INSERT ON audit_retention
    WHEN NEW.through_seq <= COALESCE(
      (SELECT MAX(through_seq) FROM audit_retention WHERE chain = NEW.chain), 0)
    BEGIN SELECT RAISE(ABORT, 'audit retention only moves forward'); END`.execute(db);

  await sql`DROP TRIGGER audit_events_no_delete`.execute(db);
  await sql`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    WHEN OLD.seq > COALESCE(
      (SELECT MAX(through_seq) FROM audit_retention WHERE chain = OLD.chain), 0)
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_events_not_below_retention BEFORE INSERT ON audit_events
    WHEN NEW.seq <= COALESCE(
      (SELECT MAX(through_seq) FROM audit_retention WHERE chain = NEW.chain), 0)
    BEGIN SELECT RAISE(ABORT, 'audit_events: this part of the chain was purged'); END`.execute(db);

  await db.schema.alterTable('audit_log_keys').addColumn('kek_version', 'integer').execute();

  await db.schema
    .createTable('audit_witness_cursor')
    .addColumn('chain', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('delivered_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_witness_cursor').execute();
  await sql`DROP TRIGGER audit_events_not_below_retention`.execute(db);
  await sql`DROP TRIGGER audit_events_no_delete`.execute(db);
  await sql`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);
  await db.schema.dropTable('audit_retention').execute();
}
