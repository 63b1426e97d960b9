import type { Readable } from 'node:stream';

export interface StoredBlob {
  /** Server-made name; never derived from client input. */
  readonly key: string;
}

/**
 * Where document bytes live. put() is atomic: after it resolves the blob is complete and durable,
 * after it rejects nothing is left behind. Only ciphertext is given to it (modules/documents/sealed-blobs.ts), which
 * also measures and hashes the clear bytes on their way in.
 */
export interface BlobStore {
  put(source: Readable): Promise<StoredBlob>;
  /** Opens a blob for reading; rejects when it does not exist. */
  open(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Every stored key, for the orphan sweep. */
  listKeys(): Promise<string[]>;
  /** Removes partial writes left by a crash. */
  removeTemporaries(): Promise<number>;
}
