import type { AppDeps } from '../../deps.js';
import { detectAlerts, type RaisedAlert } from './detection.js';
import { outsideCommitHook } from '../../db/commit-hooks.js';
import { asUnitOfWork } from '../../db/durability.js';

/** The detector polls this often even when nobody wakes it (appends by another process). */
const POLL_MS = 500;
/** A wake-up waits this long, so a burst of appends is read in one pass. */
const WAKE_DELAY_MS = 100;
/** Under steady traffic, passes are this far apart at least: requests keep the database. */
const GAP_MS = 250;

export interface Detector {
  /** Read the log soon: an event was just appended. Does nothing until started. */
  wake(): void;
  start(): void;
  /** Stops polling and waits for the pass under way. */
  stop(): Promise<void>;
}

/**
 * Runs the detection passes of a serving process: one at a time, on a short timer and whenever
 * an append wakes it, so an alert follows its event within about a second. One process per
 * database runs it (the cursors are shared state).
 */
export function detector(getDeps: () => AppDeps, deliver: (alert: RaisedAlert) => void): Detector {
  let started = false;
  let running: Promise<void> | null = null;
  let rerun = false;
  let poll: NodeJS.Timeout | null = null;
  let soon: NodeJS.Timeout | null = null;

  const pass = async () => {
    const deps = getDeps();
    // A backlog (after a restart, a burst) is read to its end before the pass returns.
    for (let more = true; more && started;) {
      try {
        // Under traffic a pass runs every quarter of a second: its commits are grouped with the
        // requests' (no fsync on the event loop), and its alerts leave once they are on disk.
        const found = await asUnitOfWork(() => detectAlerts(deps));
        for (const alert of found.raised) deliver(alert);
        more = found.more;
      } catch (error) {
        deps.log.error({ err: error }, 'alert detection failed');
        more = false;
      }
    }
  };
  const schedule = (ms: number) => {
    if (!started || soon) return;
    soon = setTimeout(() => {
      soon = null;
      run();
    }, ms);
    soon.unref();
  };
  const run = () => {
    if (!started) return;
    if (running) {
      rerun = true;
      return;
    }
    running = pass().finally(() => {
      running = null;
      if (rerun) {
        rerun = false;
        schedule(GAP_MS);
      }
    });
  };

  return {
    // The timer must not carry the waking request's audit scope into the detector's commits.
    wake: () => outsideCommitHook(() => schedule(WAKE_DELAY_MS)),
    start() {
      if (started) return;
      started = true;
      poll = setInterval(run, POLL_MS);
      poll.unref();
      run();
    },
    async stop() {
      started = false;
      if (poll) clearInterval(poll);
      if (soon) clearTimeout(soon);
      poll = soon = null;
      await running;
    },
  };
}
