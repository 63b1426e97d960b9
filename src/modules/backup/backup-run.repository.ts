import type { Insertable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { BackupRunTable } from '../../db/schema.js';

/** Records one scheduled backup, taken or failed. */
export async function insertBackupRun(db: DbOrTx, row: Insertable<BackupRunTable>): Promise<void> {
  await db.insertInto('backup_runs').values(row).execute();
}

/** The latest runs, newest first. */
export function listRecentBackupRuns(db: DbOrTx, limit: number) {
  return db
    .selectFrom('backup_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The last backup that succeeded, if any. */
export function findLastSuccessfulBackup(db: DbOrTx) {
  return db
    .selectFrom('backup_runs')
    .selectAll()
    .where('status', '=', 'succeeded')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
