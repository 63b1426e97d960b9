import type { Db } from '../../db/database.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { referencedStorageKeys } from './document.repository.js';

/**
 * Removes what a crash may leave behind: partial temporary files, and complete blobs whose
 * database row was never committed. Runs at startup, before the server accepts requests.
 */
export async function sweepOrphanBlobs(
  db: Db,
  blobs: BlobStore,
): Promise<{ temporaries: number; orphans: number }> {
  const temporaries = await blobs.removeTemporaries();
  const referenced = await referencedStorageKeys(db);
  let orphans = 0;
  for (const key of await blobs.listKeys()) {
    if (!referenced.has(key)) {
      await blobs.delete(key);
      orphans += 1;
    }
  }
  return { temporaries, orphans };
}
