import type { DbOrTx } from '../../db/database.js';
import type { ExportInstructionRow } from '../../db/schema.js';

/**
 * The run's bookkeeping on the instruction's row. Every update names the state it leaves, so
 * two processes (or a run and an expiry) never both win.
 */

/** The next instruction to run: approved, or left running by a process that stopped. */
export function findRunnable(db: DbOrTx, now: string): Promise<ExportInstructionRow | undefined> {
  return db
    .selectFrom('export_instructions')
    .selectAll()
    .where('status', 'in', ['approved', 'running'])
    .where('expires_at', '>', now)
    .orderBy('decided_at')
    .limit(1)
    .executeTakeFirst();
}

export async function markRunning(db: DbOrTx, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('export_instructions')
    .set((eb) => ({
      status: 'running',
      run_started_at: at,
      run_attempts: eb(eb.fn.coalesce('run_attempts', eb.lit(0)), '+', 1),
      progress: null,
      failure: null,
    }))
    .where('id', '=', id)
    .where('status', 'in', ['approved', 'running'])
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function saveProgress(db: DbOrTx, id: string, progress: string): Promise<void> {
  await db
    .updateTable('export_instructions')
    .set({ progress })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

export async function markReady(
  db: DbOrTx,
  id: string,
  done: { at: string; progress: string; sha256: string; bytes: number; manifestSha256: string },
): Promise<boolean> {
  const result = await db
    .updateTable('export_instructions')
    .set({
      status: 'ready',
      run_finished_at: done.at,
      progress: done.progress,
      output_sha256: done.sha256,
      output_bytes: done.bytes,
      manifest_sha256: done.manifestSha256,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function markFailed(db: DbOrTx, id: string, at: string, failure: string) {
  await db
    .updateTable('export_instructions')
    .set({ status: 'failed', run_finished_at: at, failure })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

/** Exports whose expiry has passed and whose file is still there, or never made. */
export function findExpired(db: DbOrTx, now: string): Promise<ExportInstructionRow[]> {
  return db
    .selectFrom('export_instructions')
    .selectAll()
    .where('expires_at', '<=', now)
    .where('status', 'in', ['pending', 'approved', 'running', 'ready', 'failed'])
    .execute();
}

export async function markExpired(db: DbOrTx, id: string, at: string, fileDeleted: boolean) {
  await db
    .updateTable('export_instructions')
    .set({ status: 'expired', ...(fileDeleted ? { file_deleted_at: at } : {}) })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'approved', 'running', 'ready', 'failed'])
    .execute();
}
