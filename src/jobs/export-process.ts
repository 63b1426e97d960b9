import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  ExportRunFailed,
  ExportRunStopped,
  type ExportProducer,
} from '../modules/exports/export-run.js';
import type { ExportResult } from '../modules/exports/export-archive.js';
import { isExportProcessMessage } from '../modules/exports/export-process-messages.js';

/** The export process's entry point, of this very build: it runs the code the server runs. */
const ENTRY = fileURLToPath(new URL('../cli/export-process-main.js', import.meta.url));

export interface ExportProcessRunner {
  /** Runs one export in a process of its own and applies what it reports, in order. */
  readonly produce: ExportProducer;
  /** Stops the run under way, if any (the server is stopping); it runs again at next start. */
  stop(): Promise<void>;
}

/**
 * Exports run in a child process (`export-process-main.js run-job`): a run's memory is returned
 * whole when it ends, its CPU is niced below the requests', and the server's heap and event
 * loop never carry it. The child only reads; its reports are written here, by the one writer.
 */
export function exportProcessRunner(options: { demo: boolean }): ExportProcessRunner {
  let current: { stop(): void; ended: Promise<unknown> } | null = null;
  let stopping = false;

  const produce: ExportProducer = (instruction, sink) => {
    if (stopping) return Promise.reject(new ExportRunStopped('the server is stopping'));
    const child = fork(ENTRY, ['run-job', instruction.id, ...(options.demo ? ['--demo'] : [])], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let writes: Promise<void> = Promise.resolve();
    let writeError: unknown = null;
    let outcome: { result: ExportResult } | { failure: string } | null = null;
    // Applied one after the other, as the run reported them; the first failure stops the run.
    const apply = (write: () => Promise<void>) => {
      writes = writes
        .then(() => (writeError === null ? write() : undefined))
        .catch((error: unknown) => {
          writeError ??= error;
          child.kill('SIGKILL');
        });
    };
    child.on('message', (message: unknown) => {
      if (!isExportProcessMessage(message)) {
        // Never applied in part: the run fails rather than leave a migration's persons short.
        writeError ??= new Error('the export process sent a malformed report');
        child.kill('SIGKILL');
        return;
      }
      if (message.kind === 'wrote') apply(() => sink.wrote(message.personIds, message.caseIds));
      else if (message.kind === 'progress') apply(() => sink.progress(message.counts));
      else if (message.kind === 'done') outcome = { result: message.result };
      else outcome = { failure: message.failure };
    });
    const ended = new Promise<ExportResult>((resolve, reject) => {
      child.once('error', reject);
      // 'close', not 'exit': every message sent before the end has arrived by then.
      child.once('close', (code, signal) => {
        void writes.then(() => {
          if (stopping) reject(new ExportRunStopped('the server stopped during the run'));
          else if (writeError !== null) reject(writeError);
          else if (outcome && 'result' in outcome && code === 0) resolve(outcome.result);
          else if (outcome && 'failure' in outcome) reject(new ExportRunFailed(outcome.failure));
          else reject(new Error(`the export process ended without a result (${signal ?? code})`));
        });
      });
    });
    // Killed: the run holds nothing worth finishing (its partial file is removed by the next),
    // and a read stuck on a dead disk must not hold the server's stop.
    current = { stop: () => child.kill('SIGKILL'), ended: ended.catch(() => undefined) };
    return ended.finally(() => (current = null));
  };

  return {
    produce,
    async stop() {
      stopping = true;
      const run = current;
      if (!run) return;
      run.stop();
      await run.ended;
    },
  };
}
