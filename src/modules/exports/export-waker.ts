import { outsideCommitHook } from '../../db/commit-hooks.js';
import { currentPendingCommits, outsideGroupCommit } from '../../db/durability.js';

/**
 * Starts the export job now rather than at its next poll: an approval is followed by the run
 * within the second. Does nothing in a process that runs no jobs.
 */
export interface ExportWaker {
  wake(): void;
  /** The job to start (the serving process's scheduler registers it). */
  onWake(job: () => void): void;
}

export function exportWaker(): ExportWaker {
  let job: (() => void) | null = null;
  return {
    // Never inside the request that woke it: the job (a migration's erasure among its steps)
    // must run outside any unit of work, once the approval's commits are on disk.
    wake: () => {
      const unit = currentPendingCommits();
      outsideCommitHook(() =>
        outsideGroupCommit(() =>
          setImmediate(() => {
            (unit ? unit.settled() : Promise.resolve()).then(
              () => outsideGroupCommit(() => job?.()),
              () => undefined,
            );
          }),
        ),
      );
    },
    onWake: (next) => {
      job = next;
    },
  };
}
