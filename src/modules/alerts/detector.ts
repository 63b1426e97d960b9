import type { AppDeps } from '../../deps.js';
import { detectAlerts, type RaisedAlert } from './detection.js';

/** The detector polls this often even when nobody wakes it (appends by another process). */
const POLL_MS = 400;
/** A wake-up waits this long, so a burst of appends is read in one pass. */
const WAKE_DELAY_MS = 20;

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
  let again = false;
  let poll: NodeJS.Timeout | null = null;
  let soon: NodeJS.Timeout | null = null;

  const pass = async () => {
    const deps = getDeps();
    do {
      again = false;
      try {
        const { raised, more } = await detectAlerts(deps);
        for (const alert of raised) deliver(alert);
        if (more) again = true;
      } catch (error) {
        deps.log.error({ err: error }, 'alert detection failed');
      }
    } while (again && started);
  };
  const run = () => {
    if (!started) return;
    if (running) {
      again = true;
      return;
    }
    running = pass().finally(() => (running = null));
  };

  return {
    wake() {
      if (!started || soon) return;
      soon = setTimeout(() => {
        soon = null;
        run();
      }, WAKE_DELAY_MS);
      soon.unref();
    },
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
