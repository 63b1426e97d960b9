import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import type { PersonCipher } from '../../crypto/vault.js';
import type { BlobStore } from '../../storage/blob-store.js';

/** Counts and hashes the clear bytes on their way to encryption. */
class ClearDigest extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.size += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Encrypts a document on its way into the blob store: only the stored form (authenticated
 * chunks under the person's data key, bound to the document id) ever reaches the disk.
 * Returns the clear size and SHA-256 for the document row.
 */
export async function putSealed(
  blobs: BlobStore,
  cipher: PersonCipher,
  documentId: string,
  source: Readable,
): Promise<{ key: string; size: number; sha256: string }> {
  const digest = new ClearDigest();
  // pipeline() forwards an error of any stage to all of them, so put() never waits forever.
  const sealed = pipeline(source, digest, cipher.encryptBlob(documentId), () => undefined);
  const stored = await blobs.put(sealed);
  return { key: stored.key, size: digest.size, sha256: digest.hex() };
}

/** Opens a stored document as clear bytes; the stream errors with TamperedError if altered. */
export async function openSealed(
  blobs: BlobStore,
  cipher: PersonCipher,
  documentId: string,
  key: string,
): Promise<Readable> {
  const raw = await blobs.open(key);
  return pipeline(raw, cipher.decryptBlob(documentId), () => undefined);
}

/**
 * Waits for the first authenticated chunk before anything is sent, so a tampered or moved blob
 * answers with a problem instead of a 200 and a cut-off body. (Beyond the first 64 KiB, an
 * altered chunk can only cut the transfer short: bytes sent are always authenticated ones.)
 */
export async function startAuthenticated(stream: Readable): Promise<Readable> {
  const chunks = stream[Symbol.asyncIterator]();
  const first = await chunks.next();
  async function* rest() {
    if (first.done) return;
    yield first.value as Buffer;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      yield next.value as Buffer;
    }
  }
  return Readable.from(rest());
}
