import path from 'node:path';
import { pino } from 'pino';
import type { Config } from '../config.js';
import { shiftedClock } from '../clock.js';
import { openDatabaseReadOnly } from '../db/database.js';
import type { AppDeps } from '../deps.js';
import { openKeyManager } from '../crypto/open-key-manager.js';
import { Vault } from '../crypto/vault.js';
import { logSerializers, redactionPaths } from '../http/log-redaction.js';
import { openMailer } from '../mail/mailer.js';
import { alertSink } from '../modules/alerts/alert-sink.js';
import { outboxWorker } from '../modules/outbox/outbox-worker.js';
import { writeExportArchive } from '../modules/exports/export-archive.js';
import type { ExportProcessMessage } from '../modules/exports/export-process-messages.js';
import { exportWaker } from '../modules/exports/export-waker.js';
import { findRunningInstruction } from '../modules/exports/export-run.repository.js';
import { failureOf } from '../modules/exports/export-run.js';
import { FileBlobStore } from '../storage/file-blob-store.js';
import { lowerThisProcessPriority } from '../storage/background-thread.js';

const USAGE_ERROR = 64;

/**
 * `export-process-main.js run-job ID`: one export's run, in a process of its own started by the
 * serving process (src/jobs/export-process.ts), so that its memory and CPU are not the
 * server's. It reads the database and never writes it: what the run implies for the database
 * goes back to the server over the IPC channel, the one writer.
 */
export async function runExportJob(
  config: Config,
  id: string | undefined,
  options: { demo: boolean },
): Promise<number> {
  const channel = process.send?.bind(process);
  if (!channel || !id) {
    console.error('exports run-job is started by the server for an approved export, never by hand');
    return USAGE_ERROR;
  }
  // The server gone, nobody would record what this run writes: stop now, as the server would
  // have stopped it. Killed, not exited: an exit waits for the reads under way, and one stuck
  // on a dead disk would keep an orphan forever; the partial file is the next run's to remove.
  const orphaned = () => process.kill(process.pid, 'SIGKILL');
  process.on('disconnect', orphaned);
  lowerThisProcessPriority();
  const post = (message: ExportProcessMessage) =>
    new Promise<void>((resolve, reject) =>
      channel(message, undefined, {}, (error) => (error ? reject(error) : resolve())),
    );
  const log = pino({
    level: config.logLevel,
    base: { pid: process.pid, job: 'export' },
    redact: { paths: redactionPaths, censor: '[redacted]' },
    serializers: logSerializers,
  });
  const db = openDatabaseReadOnly(config);
  const keys = await openKeyManager(config, {
    demo: options.demo,
    // The server said it already, at its start.
    warn: (message) => log.debug(message),
  });
  const vault = new Vault(keys);
  // Whole, for the types: none of them is started here, so no mail, alert or queued work
  // ever leaves this process (it cannot write the database anyway).
  const deps: AppDeps = {
    config,
    db,
    blobs: new FileBlobStore(path.join(config.dataDir, 'blobs')),
    clock: shiftedClock(config.clockOffsetMs),
    log,
    keys,
    vault,
    mailer: openMailer(config, { demo: options.demo, log }),
    alerts: alertSink(() => deps),
    outbox: outboxWorker(() => deps),
    exportJob: exportWaker(),
    allowLoopbackTargets: false,
    publicOrigin: () => config.publicUrl ?? `http://localhost:${config.port}`,
  };
  try {
    const instruction = await findRunningInstruction(db, id);
    if (!instruction) throw new Error(`no running export instruction ${id}`);
    const result = await writeExportArchive(deps, instruction, {
      wrote: (personIds, caseIds) =>
        post({ kind: 'wrote', personIds: [...personIds], caseIds: [...caseIds] }),
      progress: (counts) => post({ kind: 'progress', counts }),
    });
    await post({ kind: 'done', result });
    return 0;
  } catch (error) {
    // A report that failed because the server is gone: nobody to tell, nothing to close.
    if (!process.connected) orphaned();
    log.error({ err: error, instructionId: id }, 'export run failed');
    await post({ kind: 'failed', failure: failureOf(error) }).catch(() => undefined);
    return 1;
  } finally {
    vault.forgetAll();
    await keys.close();
    await db.destroy();
  }
}
