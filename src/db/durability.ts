import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The commits a unit of work (one HTTP request) is waiting for. Inside a unit, a transaction's
 * COMMIT only ends its part of the group: the group is made durable by one COMMIT for every unit
 * that joined it (src/db/sqlite-driver.ts), and the unit must not answer before `settled()`.
 * Whatever a unit read while a group was open depends on that group too: it may have seen a
 * change not yet on disk, so its answer waits for the same commit.
 */
export class PendingCommits {
  readonly #groups = new Set<Promise<void>>();

  /** This unit depends on the group that `durable` settles. */
  dependOn(durable: Promise<void>): void {
    this.#groups.add(durable);
  }

  /** Resolves once every group this unit touched is on disk; rejects if one failed to commit. */
  async settled(): Promise<void> {
    // The groups are kept, not consumed: a later call (a mail waiting after the answer's own
    // wait) must see a failed group fail too, not an empty set that resolves at once.
    for (let seen = -1; seen < this.#groups.size;) {
      seen = this.#groups.size;
      await Promise.all(this.#groups);
    }
  }
}

const scope = new AsyncLocalStorage<PendingCommits>();

/**
 * Runs `work` as a unit whose commits are grouped with those of concurrent units. Outside any
 * unit (jobs, commands, start-up) a commit is durable when it returns, as with a plain driver.
 */
export function groupCommits<T>(pending: PendingCommits, work: () => T): T {
  return scope.run(pending, work);
}

/**
 * Runs background work (a job's pass) as a unit of its own: its commits join the group of the
 * requests running beside it, and are made durable off the event loop, instead of each waiting
 * for an fsync on it as work outside a unit does. Resolves once they are on disk.
 */
export async function asUnitOfWork<T>(work: () => Promise<T>): Promise<T> {
  const pending = new PendingCommits();
  const result = await groupCommits(pending, work);
  await pending.settled();
  return result;
}

/** Runs `work` outside any unit: background work a request starts but does not wait for. */
export function outsideGroupCommit<T>(work: () => T): T {
  return scope.exit(work);
}

/** The unit of work running now, if any. */
export function currentPendingCommits(): PendingCommits | undefined {
  return scope.getStore();
}
