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
    wake: () => job?.(),
    onWake: (next) => {
      job = next;
    },
  };
}
