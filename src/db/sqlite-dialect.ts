import SQLite from 'better-sqlite3';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type Dialect,
  type Kysely,
  type RawBuilder,
} from 'kysely';
import type { Database } from './schema.js';
import { GroupCommitDriver } from './sqlite-driver.js';
import { countGroupCommit } from '../metrics/metrics.js';

/**
 * Everything that only SQLite understands, in one file: the connection settings, the JSON path
 * expressions over audit entries, the write-ahead log. Supporting PostgreSQL means writing a
 * sibling of this file; the queries of the repositories stay as they are.
 */

/** A better-sqlite3 connection to a file (or ':memory:') with the settings Cloison relies on. */
export function openSqliteDialect(file: string, options: { readOnly?: boolean } = {}): Dialect {
  const readOnly = options.readOnly ?? false;
  const sqlite = new SQLite(file, { readonly: readOnly, fileMustExist: readOnly });
  // WAL for concurrent readers. NORMAL: the driver fsyncs the log itself, off the event loop,
  // before any answer that depends on a commit leaves, and at once after work outside a request
  // (src/db/sqlite-driver.ts): a committed transaction survives a power cut as with FULL. A
  // reader beside the serving process finds the file in WAL already and cannot change it.
  if (!readOnly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Freed pages are zeroed so deleted content does not linger in the file.
  sqlite.pragma('secure_delete = ON');
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () =>
      new GroupCommitDriver(sqlite, {
        walFile: file === ':memory:' ? null : `${file}-wal`,
        onDurable: countGroupCommit,
        // As PostgreSQL does on a failed fsync: stop, so that nothing more is acknowledged on
        // changes the disk may have lost; a restart reads back what the disk really holds.
        onSyncFailure: (error) => {
          const why = error instanceof Error ? error.message : String(error);
          process.stderr.write(
            `cloison: the write-ahead log could not be synced (${why}): stopping\n`,
          );
          process.exit(74);
        },
      }),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

/** An audit entry's key: a plain word, since it is spliced into the SQL text. */
const ENTRY_KEY = /^[A-Za-z]+$/;

/**
 * A field of an audit entry (`audit_events.entry`, canonical JSON) as `json_extract(entry,
 * '$.name')`, the path a literal of the SQL text: spelled exactly like the expression indexes of
 * migration 0019, so SQLite uses them; a bound path would match no index and scan the chain.
 */
export function auditEntryField(name: string): RawBuilder<string> {
  if (!ENTRY_KEY.test(name)) throw new Error(`not an audit entry key: ${name}`);
  return sql<string>`json_extract(entry, '$.${sql.raw(name)}')`;
}

/**
 * A column compared in a condition that must hold but must not choose the plan (`+column`
 * makes SQLite ignore its indexes there). For a usager's cases: their few persons should find
 * them through cases_person, not a walk through the whole département's queue in date order,
 * which SQLite prefers without statistics because it spares the sort.
 */
export function unindexed(column: string): RawBuilder<string> {
  return sql<string>`+${sql.ref(column)}`;
}

/** How many times a checkpoint kept from finishing by a reader is tried again. */
const CHECKPOINT_TRIES = 5;

/**
 * Copies the write-ahead log into the database file and truncates it to nothing. A reader of
 * another process (an export's run) can keep it from finishing beyond the busy timeout: tried
 * again, then an error rather than a log believed empty that still holds erased rows.
 */
export async function checkpointWal(db: Kysely<Database>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { rows } = await sql<{
      busy: number;
      log: number;
      checkpointed: number;
    }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    const result = rows[0];
    if (result && result.busy === 0 && result.log === result.checkpointed) return;
    if (attempt >= CHECKPOINT_TRIES)
      throw new Error('the write-ahead log could not be checkpointed: a reader kept it');
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}
