import type { Db } from '../../db/database.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { referencedStorageKeys } from './document.repository.js';

export interface SweepOptions {
  /**
   * Only what was last written before this instant. Omitted only by a server that holds the data
   * directory's lock and accepts no request yet: then nothing can be on its way in, and every
   * partial file and unreferenced blob is certainly a crash's leftover.
   */
  readonly writtenBefore?: Date;
}

/**
 * Removes what a crash may leave behind: partial temporary files, and complete blobs whose
 * database row was never committed. Blobs are listed before the references are read, so a blob
 * whose row commits in between is seen referenced; a blob whose row is still to come is recent,
 * and a sweep beside live uploads is given a cutoff older than the longest possible upload.
 */
export async function sweepOrphanBlobs(
  db: Db,
  blobs: BlobStore,
  options: SweepOptions = {},
): Promise<{ temporaries: number; orphans: number }> {
  const cutoff = options.writtenBefore;
  const temporaries = await blobs.removeTemporaries(cutoff);
  const stored = await blobs.list();
  const referenced = await referencedStorageKeys(db);
  let orphans = 0;
  for (const blob of stored) {
    if (referenced.has(blob.key)) continue;
    if (cutoff && blob.modifiedAt >= cutoff) continue;
    await blobs.delete(blob.key);
    orphans += 1;
  }
  return { temporaries, orphans };
}
