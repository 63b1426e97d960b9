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
  done: {
    at: string;
    progress: string;
    sha256: string;
    bytes: number;
    manifestSha256: string;
    receiptHash: string;
  },
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
      receipt_hash: done.receiptHash,
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
    .where('status', 'in', ['running', 'approved'])
    .execute();
}

/** What an expiry ends: the instruction itself, while it is still on its way. */
const LIVE = ['pending', 'approved', 'running', 'ready', 'failed'];

/** Instructions past their expiry still live, or whose file was never deleted. */
export function findExpired(db: DbOrTx, now: string): Promise<ExportInstructionRow[]> {
  return db
    .selectFrom('export_instructions')
    .selectAll()
    .where('expires_at', '<=', now)
    .where((eb) => eb.or([eb('status', 'in', LIVE), eb('file_deleted_at', 'is', null)]))
    .execute();
}

/**
 * Past its expiry: a live instruction is expired; a migration acknowledged (or further) keeps
 * its status for its erasure; the file, wherever it stands, is gone.
 */
export async function markExpired(db: DbOrTx, id: string, at: string) {
  await db
    .updateTable('export_instructions')
    .set((eb) => ({
      status: eb.case().when('status', 'in', LIVE).then('expired').else(eb.ref('status')).end(),
      file_deleted_at: at,
    }))
    .where('id', '=', id)
    .execute();
}

/** Forgets the persons a previous, interrupted run of the instruction had written. */
export async function clearExportedPersons(db: DbOrTx, instructionId: string): Promise<void> {
  await db.deleteFrom('export_persons').where('instruction_id', '=', instructionId).execute();
  await db.deleteFrom('export_cases').where('instruction_id', '=', instructionId).execute();
}

/** Records persons the run wrote (a person met again on a later page is recorded once). */
export async function recordExportedPersons(
  db: DbOrTx,
  instructionId: string,
  tenantId: string,
  personIds: readonly string[],
): Promise<void> {
  if (personIds.length === 0) return;
  await db
    .insertInto('export_persons')
    .values(
      personIds.map((person_id) => ({
        instruction_id: instructionId,
        tenant_id: tenantId,
        person_id,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Records cases the run wrote. */
export async function recordExportedCases(
  db: DbOrTx,
  instructionId: string,
  tenantId: string,
  caseIds: readonly string[],
): Promise<void> {
  if (caseIds.length === 0) return;
  await db
    .insertInto('export_cases')
    .values(
      caseIds.map((case_id) => ({ instruction_id: instructionId, tenant_id: tenantId, case_id })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The instruction a run was started for, while it is running (whichever the département). */
export function findRunningInstruction(
  db: DbOrTx,
  id: string,
): Promise<ExportInstructionRow | undefined> {
  return db
    .selectFrom('export_instructions')
    .selectAll()
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
}

/** A run stopped with the server: approved again, the attempt not counted against it. */
export async function releaseRun(db: DbOrTx, id: string): Promise<void> {
  await db
    .updateTable('export_instructions')
    .set((eb) => ({
      status: 'approved',
      run_attempts: eb('run_attempts', '-', 1),
      progress: null,
    }))
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}
