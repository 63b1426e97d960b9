import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/** Another process (a running server, a maintenance command) holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The data directory ${dataDir} is in use by another Cloison process (a running server or a ` +
        'maintenance command). Stop it first, then run this command again.',
    );
  }
}

export interface DataDirLock {
  /** Gives the lock back; also happens when the process ends, however it ends. */
  release(): void;
}

const LOCK_FILE = 'cloison.lock';

/**
 * Takes the exclusive lock of a data directory, or throws DataDirLockedError at once. The lock is
 * SQLite's own file lock on an empty database kept in an open EXCLUSIVE transaction: the kernel
 * holds it for exactly as long as the process lives and drops it when the process dies (even
 * under SIGKILL), so there is no stale lock to guess about, no pid to trust, and no second
 * process that could ever believe a live server's uploads are leftovers.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = new SQLite(path.join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirLockedError(dataDir);
    throw error;
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      lock.close();
    },
  };
}
