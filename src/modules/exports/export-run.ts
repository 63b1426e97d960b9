import fsp from 'node:fs/promises';
import type { AppDeps } from '../../deps.js';
import type { ExportInstructionRow } from '../../db/schema.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { exportFile, type ExportResult, type ExportRunSink } from './export-archive.js';
import { eraseMigratedSources } from './export-migration.service.js';
import { signingKey } from '../audit/log-keys.js';
import {
  clearExportedPersons,
  findExpired,
  findRunnable,
  markExpired,
  markFailed,
  markReady,
  markRunning,
  recordExportedCases,
  recordExportedPersons,
  releaseRun,
  saveProgress,
} from './export-run.repository.js';

const SYSTEM = { kind: 'anonymous' } as const;
/** How many times a run may be started before it is given up (a process dying in it). */
const MAX_RUN_ATTEMPTS = 3;

/**
 * Writes an instruction's export, reporting to the sink; the serving process hands this to a
 * process of its own (src/jobs/export-process.ts), whose memory and CPU are then the export's.
 */
export type ExportProducer = (
  instruction: ExportInstructionRow,
  sink: ExportRunSink,
) => Promise<ExportResult>;

/** A run that went wrong, in a few words for the orderer and the DPO. */
export class ExportRunFailed extends Error {
  override readonly name = 'ExportRunFailed';
}

/** Thrown by a producer stopped with the server: the run is left running, for the next start. */
export class ExportRunStopped extends Error {
  override readonly name = 'ExportRunStopped';
}

/** The words a failed run is recorded with; the stack goes to the log only. */
export function failureOf(error: unknown): string {
  if (error instanceof ExportRunFailed) return error.message;
  return error instanceof Error && error.name === 'TamperedError'
    ? 'a stored document failed its integrity check'
    : 'the run failed (see the server log)';
}

/**
 * The export job: runs approved instructions one after the other (one left running by a
 * process that stopped is started again from nothing), then deletes what has expired. Returns
 * how many runs finished.
 */
export async function runExports(
  deps: AppDeps,
  produce: ExportProducer,
): Promise<{ ready: number; failed: number }> {
  let ready = 0;
  let failed = 0;
  for (;;) {
    // Before each run, not after all of them: a long run never keeps an expired file on disk
    // or a due erasure waiting.
    await expireExports(deps);
    await eraseMigratedSources(deps);
    const now = deps.clock.now().toISOString();
    const next = await findRunnable(deps.db, now);
    if (!next) break;
    if ((next.run_attempts ?? 0) >= MAX_RUN_ATTEMPTS) {
      // Started that often and never finished: whatever stops the process, not again.
      await markFailed(deps.db, next.id, now, `interrupted ${MAX_RUN_ATTEMPTS} times`);
      failed += 1;
      continue;
    }
    if (!(await markRunning(deps.db, next.id, now))) break;
    try {
      // What the producer needs and may not write itself: a clean slate of exported persons,
      // and the département's signing key made once.
      await clearExportedPersons(deps.db, next.id);
      await signingKey(deps, next.tenant_id);
      const done = await produce(next, {
        // One commit (one wait for the disk) a page for what the run wrote.
        wrote: (personIds, caseIds) =>
          deps.db.transaction().execute(async (trx) => {
            await recordExportedPersons(trx, next.id, next.tenant_id, personIds);
            await recordExportedCases(trx, next.id, next.tenant_id, caseIds);
          }),
        progress: (counts) => saveProgress(deps.db, next.id, JSON.stringify(counts)),
      });
      await markReady(deps.db, next.id, {
        at: deps.clock.now().toISOString(),
        progress: JSON.stringify(done.counts),
        sha256: done.sha256,
        bytes: done.bytes,
        manifestSha256: done.manifestSha256,
        receiptHash: done.receiptHash,
      });
      await recordSecurityEvent(deps, null, {
        kind: 'export.produced',
        actor: SYSTEM,
        tenantId: next.tenant_id,
        objectType: 'export-instruction',
        objectId: next.id,
        detail: { ...done.counts, manifestSha256: done.manifestSha256 },
      });
      ready += 1;
    } catch (error) {
      if (error instanceof ExportRunStopped) {
        // Stopped with the server, not failed: the next start runs it again, not counted.
        await releaseRun(deps.db, next.id);
        throw error;
      }
      // A failure the export process reported was logged there, with its stack.
      if (!(error instanceof ExportRunFailed))
        deps.log.error({ err: error, instructionId: next.id }, 'export run failed');
      // A process killed mid-run leaves its partial file: never an export, removed now.
      await fsp.rm(`${exportFile(deps.config.dataDir, next.id)}.partial`, { force: true });
      await markFailed(deps.db, next.id, deps.clock.now().toISOString(), failureOf(error));
      await recordSecurityEvent(deps, null, {
        kind: 'export.failed',
        actor: SYSTEM,
        tenantId: next.tenant_id,
        objectType: 'export-instruction',
        objectId: next.id,
      });
      failed += 1;
    }
  }
  return { ready, failed };
}

/** Past its expiry an export is deleted; an instruction not run by then never runs. */
async function expireExports(deps: AppDeps): Promise<void> {
  const now = deps.clock.now().toISOString();
  for (const row of await findExpired(deps.db, now)) {
    const file = exportFile(deps.config.dataDir, row.id);
    await fsp.rm(`${file}.partial`, { force: true });
    let deleted = false;
    try {
      await fsp.rm(file);
      deleted = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await markExpired(deps.db, row.id, now);
    if (deleted) {
      await recordSecurityEvent(deps, null, {
        kind: 'export.deleted',
        actor: SYSTEM,
        tenantId: row.tenant_id,
        objectType: 'export-instruction',
        objectId: row.id,
      });
    }
  }
}
