import fs from 'node:fs';
import os from 'node:os';

/**
 * Lowers the calling thread's scheduling priority: background work (an export's encryption, its
 * reads) then gives way to the requests of the people using Cloison, and still takes every
 * cycle they leave. On Linux a thread is a task of its own, named by /proc/thread-self, whose
 * nice value can be raised alone; elsewhere the thread keeps the process's priority.
 */
export function lowerThisThreadPriority(nice = 10): void {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, nice);
  } catch {
    // Not Linux, or not allowed: the same priority as the rest, which is only slower for others.
  }
}

/**
 * Lowers the whole process's priority: every thread it has now (the main one, V8's, libuv's)
 * and, since a thread starts with its creator's, every one it makes later. For a process that
 * does only background work beside the server.
 */
export function lowerThisProcessPriority(nice = 10): void {
  try {
    for (const task of fs.readdirSync('/proc/self/task')) {
      try {
        os.setPriority(Number(task), nice);
      } catch {
        // A thread that ended meanwhile.
      }
    }
  } catch {
    // Not Linux: the process as a whole, which there is what setpriority means.
    try {
      os.setPriority(nice);
    } catch {
      // Not allowed: the same priority as the server, which is only slower for others.
    }
  }
}

/** Lets the event loop serve what waits (requests, timers) before background work goes on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A background thread's heap: small, so that its garbage is collected rather than kept. */
export const BACKGROUND_THREAD_LIMITS = {
  maxYoungGenerationSizeMb: 4,
  maxOldGenerationSizeMb: 64,
} as const;
