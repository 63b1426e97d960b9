import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { DEFAULT_MIGRATION_TABLE, Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.js';
import type { Db } from './database.js';

/**
 * Consistent copies of a live database, and what a backup needs to read from such a copy. The
 * copy is SQLite's own VACUUM INTO: one read transaction, so it sees one committed state while a
 * server keeps writing, and never the half-checkpointed pair a file copy of a WAL database is.
 */

/**
 * Writes a transactionally consistent copy of the database into `file`, which must not exist:
 * it is created empty first with mode 0600 (VACUUM INTO accepts an empty file), so the copy is
 * never readable by others, even for an instant.
 */
export async function vacuumInto(db: Db, file: string): Promise<void> {
  fs.writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
  await sql`vacuum into ${file}`.execute(db);
}

/**
 * Opens a database copy read-only (a snapshot or a restored file): nothing can write it, and
 * no journal or WAL file is created beside it.
 */
export function openSnapshot(file: string): Db {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** What PRAGMA integrity_check reports: empty when the file is sound. */
export async function integrityProblems(db: Db): Promise<string[]> {
  const rows = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  return rows.rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
}

/**
 * Storage keys of the documents and mandate proofs, in key order, `limit` at a time after
 * `after` (paging).
 */
export async function storageKeysAfter(db: Db, after: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('documents')
    .select('storage_key')
    .where('storage_key', '>', after)
    .union(db.selectFrom('mandate_proofs').select('storage_key').where('storage_key', '>', after))
    .orderBy('storage_key')
    .limit(limit)
    .execute();
  return rows.map((r) => r.storage_key);
}

/** A snapshot's public facts, for a backup's manifest: no personal data, no secret. */
export interface SnapshotFacts {
  /** The last migration the database records (null: none). */
  lastMigration: string | null;
  tenantCodes: string[];
  counts: {
    tenants: number;
    persons: number;
    cases: number;
    documents: number;
    /** Proofs of mandates: blobs too, beside the documents'. */
    mandateProofs: number;
  };
}

/** Reads a snapshot's migration state, tenant codes and row counts. */
export async function snapshotFacts(db: Db): Promise<SnapshotFacts> {
  const migrations = await sql<{ name: string | null }>`select max(name) as name from ${sql.table(
    DEFAULT_MIGRATION_TABLE,
  )}`.execute(db);
  const tenants = await db.selectFrom('tenants').select('code').orderBy('code').execute();
  const count = async (table: 'persons' | 'cases' | 'documents' | 'mandate_proofs') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return {
    lastMigration: migrations.rows[0]?.name ?? null,
    tenantCodes: tenants.map((t) => t.code),
    counts: {
      tenants: tenants.length,
      persons: await count('persons'),
      cases: await count('cases'),
      documents: await count('documents'),
      mandateProofs: await count('mandate_proofs'),
    },
  };
}
