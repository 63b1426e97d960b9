import type { Readable } from 'node:stream';
import type { AppDeps } from '../../deps.js';
import type { PersonCipher } from '../../crypto/vault.js';
import { yieldToEventLoop } from '../../storage/background-thread.js';
import { openSealed, openSealedBytes } from '../documents/sealed-blobs.js';

/** Adds an entry to the archive and its hash to the manifest: streamed, or whole when small. */
export interface AddEntry {
  stream(name: string, size: number, content: Readable): Promise<void>;
  bytes(name: string, bytes: Buffer): Promise<void>;
}

/** What the run knows of a document it writes. */
export interface ExportedDocument {
  id: string;
  storage_key: string;
  size_bytes: number;
}

/**
 * A document read whole rather than streamed: most pieces are a page or two, and a stream's
 * machinery would cost more than their bytes.
 */
const SMALL_DOCUMENT_BYTES = 1024 * 1024;
/** Small documents read together, at most so many bytes (and files) at once. */
const BATCH_BYTES = 4 * 1024 * 1024;
const BATCH_FILES = 256;

/** A large piece is read half a megabyte at a time: a quarter of the trips to the thread pool. */
const LARGE_READ_CHUNKS = 8;

type Group<D> = { small: D[] } | { large: D };

/** The documents in order: runs of small ones in batches, each large one alone. */
function groupsOf<D extends ExportedDocument>(documents: readonly D[]): Group<D>[] {
  const groups: Group<D>[] = [];
  let batch: D[] = [];
  let bytes = 0;
  const close = () => {
    if (batch.length) groups.push({ small: batch });
    batch = [];
    bytes = 0;
  };
  for (const d of documents) {
    if (d.size_bytes > SMALL_DOCUMENT_BYTES) {
      close();
      groups.push({ large: d });
      continue;
    }
    if (batch.length === BATCH_FILES || bytes + d.size_bytes > BATCH_BYTES) close();
    batch.push(d);
    bytes += d.size_bytes;
  }
  close();
  return groups;
}

/**
 * The documents of a page, to be written as entries `documents/<id>`, each opened under its
 * person's key. Their first batch is read from now on (while the page's other entries are
 * made), and each next batch while the current one is written, so the disk and the archive
 * work side by side; at most two batches are held. A document whose clear size is not its
 * recorded one stops the run.
 */
export function documentsToWrite<D extends ExportedDocument>(
  deps: AppDeps,
  documents: readonly D[],
): {
  write(add: AddEntry, cipherOf: (d: D) => PersonCipher, onWritten: (d: D) => void): Promise<void>;
} {
  const groups = groupsOf(documents);
  const read = (g: Group<D> | undefined) => {
    if (!g || !('small' in g)) return null;
    const reading = deps.blobs.readMany(g.small.map((d) => d.storage_key));
    // Awaited in its turn; if the run stops before, its failure is nobody's.
    reading.catch(() => undefined);
    return reading;
  };
  const first = read(groups[0]);
  return {
    write: (add, cipherOf, onWritten) =>
      writeGroups(deps, add, groups, first, read, cipherOf, onWritten),
  };
}

async function writeGroups<D extends ExportedDocument>(
  deps: AppDeps,
  add: AddEntry,
  groups: readonly Group<D>[],
  first: Promise<Buffer[]> | null,
  read: (g: Group<D> | undefined) => Promise<Buffer[]> | null,
  cipherOf: (d: D) => PersonCipher,
  onWritten: (d: D) => void,
): Promise<void> {
  let next = first;
  for (const [i, group] of groups.entries()) {
    const current = next;
    next = read(groups[i + 1]);
    if ('large' in group) {
      const d = group.large;
      await add.stream(
        `documents/${d.id}`,
        d.size_bytes,
        await openSealed(deps.blobs, cipherOf(d), d.id, d.storage_key, LARGE_READ_CHUNKS),
      );
      onWritten(d);
      continue;
    }
    const stored = await current!;
    for (const [j, d] of group.small.entries()) {
      const bytes = openSealedBytes(cipherOf(d), d.id, stored[j]!);
      if (bytes.length !== d.size_bytes) {
        throw new Error(`documents/${d.id}: ${bytes.length} bytes, not ${d.size_bytes}`);
      }
      await add.bytes(`documents/${d.id}`, bytes);
      onWritten(d);
    }
    // Opening and archiving a batch never yields by itself (its promises resolve at once).
    await yieldToEventLoop();
  }
}
