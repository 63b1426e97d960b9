import type { Readable } from 'node:stream';

export interface StoredBlob {
  /** Server-made name; never derived from client input. */
  readonly key: string;
}

/** A stored or partial blob as the orphan sweep sees it. */
export interface BlobEntry {
  readonly key: string;
  /** When its bytes were last written (the file's mtime): a live upload keeps it recent. */
  readonly modifiedAt: Date;
}

/**
 * Where document bytes live. put() is atomic: after it resolves the blob is complete and durable,
 * after it rejects nothing is left behind. Only ciphertext is given to it (modules/documents/sealed-blobs.ts), which
 * also measures and hashes the clear bytes on their way in.
 */
export interface BlobStore {
  put(source: Readable): Promise<StoredBlob>;
  /**
   * Opens a blob for reading; rejects when it does not exist. `readSize`: how many bytes each read
   * should bring (the last one may bring fewer).
   */
  open(key: string, options?: { readSize?: number }): Promise<Readable>;
  /**
   * Small blobs' stored bytes, whole, in the order asked (what an export reads of one-page
   * pieces); rejects if any one is missing.
   */
  readMany(keys: readonly string[]): Promise<Buffer[]>;
  delete(key: string): Promise<void>;
  /** Every stored blob, for the orphan sweep. */
  list(): Promise<BlobEntry[]>;
  /** Removes partial writes last written before the cutoff (every one without a cutoff). */
  removeTemporaries(writtenBefore?: Date): Promise<number>;
}
