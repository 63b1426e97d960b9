import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { integrityProblems, openSnapshot } from '../../db/snapshot.js';
import { removeOnExit } from '../../storage/exit-cleanup.js';
import { BackupError, discard, readBackup, type EntrySink } from './archive.js';
import { DATABASE_ENTRY, ManifestError, type Manifest } from './manifest.js';

/**
 * `cloison backup verify`: decrypts a backup as a stream, hashes every entry against the
 * manifest, and checks the database it holds with PRAGMA integrity_check. Hashes alone would
 * pass a snapshot that was already damaged when it was taken; a backup is verified to know it
 * can be restored, so the database itself is checked too. That needs it as a file: it goes to a
 * private temporary directory (0700, the file 0600) and is deleted in every outcome. It holds
 * what the database holds: sensitive fields sealed, never in clear.
 */

export interface VerifyResult {
  manifest: Manifest;
  entries: number;
  bytes: number;
}

/** Checks a database file; throws BackupError with the first problem. */
export async function checkDatabaseFile(file: string): Promise<void> {
  const db = openSnapshot(file);
  try {
    const problems = await integrityProblems(db);
    if (problems.length > 0) {
      throw new BackupError(`the database fails its integrity check: ${problems[0]}`);
    }
  } finally {
    await db.destroy();
  }
}

/**
 * Verifies a backup end to end without a data directory or a master key: intact, complete, a
 * sound database, sealed (the seal itself is opened by restore, which has the key manager).
 */
export async function verifyBackup(
  source: Readable,
  identities: readonly string[],
): Promise<VerifyResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-verify-'));
  const forget = removeOnExit(dir);
  try {
    fs.chmodSync(dir, 0o700);
    const dbFile = path.join(dir, DATABASE_ENTRY);
    const sink: EntrySink = async (entry) =>
      entry.path === DATABASE_ENTRY
        ? fs.createWriteStream(dbFile, { flags: 'wx', mode: 0o600 })
        : discard(entry);
    const { manifest, entries, seal } = await readBackup(source, identities, sink);
    // Who made it is proven by the seal, which only the platform's key manager opens: restore
    // checks it. Without one, it is certainly not a backup Cloison made.
    if (seal === null)
      throw new ManifestError('the backup carries no seal: it was not made by a Cloison platform');
    await checkDatabaseFile(dbFile);
    return { manifest, entries: entries.length, bytes: entries.reduce((n, e) => n + e.size, 0) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    forget();
  }
}
