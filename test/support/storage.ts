import fs from 'node:fs';
import path from 'node:path';
import { queryDb } from '../harness/world.js';

/** What the documents feature has on disk and in the database, to compare before and after. */
export interface StorageSnapshot {
  documentIds: string[];
  /** Blob file names under <dataDir>/blobs/<2 hex>/. */
  blobFiles: string[];
  /** Anything left in the blob store's temporary directory. */
  temporaries: string[];
}

export function blobDir(dataDir: string): string {
  return path.join(dataDir, 'blobs');
}

/** Path of the stored blob for a storage key (file-blob-store shards by the first two chars). */
export function blobPath(dataDir: string, key: string): string {
  return path.join(blobDir(dataDir), key.slice(0, 2), key);
}

/** Every file under dir, as paths relative to it (a file gone meanwhile is skipped). */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => fs.statSync(path.join(dir, p), { throwIfNoEntry: false })?.isFile() ?? false)
    .sort();
}

/**
 * Every file of a running server's data directory with its bytes, to search for values that
 * must never be there. A temporary file renamed away between listing and reading (an atomic
 * write finishing: keyring, demo outbox) is skipped; its content is in the file it became.
 */
export function readDataFiles(dir: string): Array<{ file: string; bytes: Buffer }> {
  const out: Array<{ file: string; bytes: Buffer }> = [];
  for (const file of listFiles(dir)) {
    try {
      out.push({ file, bytes: fs.readFileSync(path.join(dir, file)) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return out;
}

/** Reads the documents rows and the blob store's files. */
export function snapshotStorage(dataDir: string, dbFile: string): StorageSnapshot {
  const dir = blobDir(dataDir);
  const temporaries = listFiles(path.join(dir, '.tmp'));
  const blobFiles = listFiles(dir)
    .filter((p) => !p.startsWith('.tmp'))
    .map((p) => path.basename(p));
  const documentIds = queryDb<{ id: string }>(dbFile, 'select id from documents order by id').map(
    (r) => r.id,
  );
  return { documentIds, blobFiles: blobFiles.sort(), temporaries };
}

/** The storage keys the database references: documents and mandate proofs. */
export function storageKeys(dbFile: string): string[] {
  return queryDb<{ storage_key: string }>(
    dbFile,
    'select storage_key from documents union all select storage_key from mandate_proofs',
  )
    .map((r) => r.storage_key)
    .sort();
}

/** Polls until check() holds or the time is up; returns whether it held. */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Stops servers and removes their temporary data directories. */
export async function stopAndRemove(
  ...servers: Array<{ stop(): Promise<void>; dataDir: string } | undefined>
) {
  await Promise.all(servers.map((s) => s?.stop()));
  for (const s of servers) if (s) fs.rmSync(s.dataDir, { recursive: true, force: true });
}
