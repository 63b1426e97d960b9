import fs from 'node:fs';
import path from 'node:path';
import { Kysely, sql, type Dialect, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { withCommitHooks } from './commit-hooks.js';
import { checkpointWal, openSqliteDialect } from './sqlite-dialect.js';

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

/** Whether the database exists yet (a dry run must not create it by looking). */
export function databaseExists(location: DatabaseLocation): boolean {
  return fs.existsSync(sqlitePath(location));
}

/**
 * Opens the database. Dialect-specific setup lives in sqlite-dialect.ts, so adding PostgreSQL
 * later is a sibling of that file and a new branch here, not a rewrite of the queries.
 */
export function openDatabase(location: DatabaseLocation): Db {
  const file = sqlitePath(location);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  return configure(openSqliteDialect(file));
}

/**
 * The database of a process working beside the server (an export's run), which only reads: a
 * second writer would make the server's transactions fail where they upgrade from read to
 * write, so SQLite itself refuses any write from here.
 */
export function openDatabaseReadOnly(location: DatabaseLocation): Db {
  return configure(openSqliteDialect(sqlitePath(location), { readOnly: true }));
}

/**
 * A database in memory, for commands that only need the server's shape (the route list): they
 * never open, migrate or lock the data directory a live server is using.
 */
export function openInMemoryDatabase(): Db {
  return configure(openSqliteDialect(':memory:'));
}

function configure(dialect: Dialect): Db {
  return new Kysely<Database>({ dialect: withCommitHooks(dialect) });
}

/**
 * After an erasure: copy the WAL into the database (where secure_delete overwrites freed
 * content) and truncate it, so no frame of the erased rows lingers in cloison.sqlite-wal.
 */
export async function purgeWriteAheadLog(db: Db): Promise<void> {
  await checkpointWal(db);
}

/** A trivial round trip: the database answers. */
export async function pingDatabase(db: DbOrTx): Promise<void> {
  await sql`select 1`.execute(db);
}
