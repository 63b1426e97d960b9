import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';

/**
 * A database written by a newer Cloison: it records migrations this version does not know.
 * Running on it would read and write tables whose meaning has changed, so nothing starts.
 */
export class NewerDatabaseError extends Error {
  constructor(readonly unknown: readonly string[]) {
    super(
      `The database was written by a newer version of Cloison: it records migration ` +
        `${unknown.join(', ')}, which this version does not know. Run that version or a later ` +
        `one, or restore a backup taken with this one; a database is never migrated backwards.`,
    );
    this.name = 'NewerDatabaseError';
  }
}

function migratorOf(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/** Names of the migrations the database records, oldest first (none on a new database). */
async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === DEFAULT_MIGRATION_TABLE)) return [];
  const rows = await sql<{ name: string }>`select name from ${sql.table(
    DEFAULT_MIGRATION_TABLE,
  )} order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Refuses a database that records a migration this version does not ship. */
export async function assertNotNewer(db: Kysely<Database>): Promise<void> {
  const unknown = (await appliedMigrations(db)).filter((name) => !(name in migrations));
  if (unknown.length > 0) throw new NewerDatabaseError(unknown);
}

/** The migrations that would run, in order, without running any (`cloison migrate --dry-run`). */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  await assertNotNewer(db);
  const applied = new Set(await appliedMigrations(db));
  return Object.keys(migrations).filter((name) => !applied.has(name));
}

/**
 * Applies every pending migration, forward only; refuses a newer database first, and throws
 * with the failing migration's name.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  await assertNotNewer(db);
  const { error, results } = await migratorOf(db).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const name = failed?.migrationName ?? 'unknown';
    throw new Error(`Migration ${name} failed: ${String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
