import Database from 'better-sqlite3';

/**
 * Runs one write against the server's live database file, as an administrator with shell access
 * would. Only for tests that must change state behind the API's back (disable an account, age a
 * session); everything else reads through test/harness/world.ts.
 */
export function writeDb(dbFile: string, sql: string, ...params: unknown[]): number {
  const db = new Database(dbFile, { fileMustExist: true, timeout: 5_000 });
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}
