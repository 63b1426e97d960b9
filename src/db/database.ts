import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';
import { withCommitHooks } from './commit-hooks.js';

export type Db = Kysely<Database>;
/** A database handle or an open transaction: repositories accept either. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;

export interface DatabaseLocation {
  dataDir: string;
  databaseUrl: string | null;
}

/** Resolves the SQLite file path from DATABASE_URL (sqlite:<path>) or the data directory. */
export function sqlitePath(location: DatabaseLocation): string {
  if (location.databaseUrl?.startsWith('sqlite:')) {
    return path.resolve(location.databaseUrl.slice('sqlite:'.length));
  }
  return path.join(location.dataDir, 'cloison.sqlite');
}

/**
 * Opens the database. All dialect-specific setup lives here, so adding PostgreSQL later is a
 * new branch in this function, not a rewrite of the queries.
 */
export function openDatabase(location: DatabaseLocation): Db {
  const file = sqlitePath(location);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  return configure(new SQLite(file));
}

/**
 * A database in memory, for commands that only need the server's shape (the route list): they
 * never open, migrate or lock the data directory a live server is using.
 */
export function openInMemoryDatabase(): Db {
  return configure(new SQLite(':memory:'));
}

function configure(sqlite: SQLite.Database): Db {
  // WAL for concurrent readers; FULL so a committed transaction survives a power cut.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Freed pages are zeroed so deleted content does not linger in the file.
  sqlite.pragma('secure_delete = ON');
  return new Kysely<Database>({
    dialect: withCommitHooks(new SqliteDialect({ database: sqlite })),
  });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const name = failed?.migrationName ?? 'unknown';
    throw new Error(`Migration ${name} failed: ${String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * After an erasure: copy the WAL into the database (where secure_delete overwrites freed
 * content) and truncate it, so no frame of the erased rows lingers in cloison.sqlite-wal.
 */
export async function purgeWriteAheadLog(db: Db): Promise<void> {
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
}
