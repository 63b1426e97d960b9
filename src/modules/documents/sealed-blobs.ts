import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { BLOB_READ_SIZE, SEALED_CHUNK } from '../../crypto/blob-stream.js';
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
  /** Whole sealed chunks a read: more for a reader that streams nothing else (an export). */
  chunksPerRead = BLOB_READ_SIZE / SEALED_CHUNK,
): Promise<Readable> {
  const raw = await blobs.open(key, { readSize: chunksPerRead * SEALED_CHUNK });
  return pipeline(raw, cipher.decryptBlob(documentId), () => undefined);
}

/** A small stored document, read whole, opened as clear bytes (TamperedError if altered). */
export function openSealedBytes(cipher: PersonCipher, documentId: string, stored: Buffer): Buffer {
  return cipher.openBlob(documentId, stored);
}

/**
 * Resolves with the same stream once its first chunk authenticated (its first 'readable'), so a
 * tampered or moved blob answers with a problem instead of a 200 and a cut-off body; rejects with
 * the stream's error if it fails first. Nothing is copied or re-wrapped: the caller reads the
 * stream itself. (Beyond the first chunk, an altered one can only cut the transfer short: bytes
 * sent are always authenticated ones.)
 */
export function startAuthenticated(stream: Readable): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const settle = (error: Error | null) => {
      stream.off('readable', onReadable);
      stream.off('error', onError);
      if (error) reject(error);
      else resolve(stream);
    };
    const onReadable = () => settle(null);
    const onError = (error: Error) => settle(error);
    stream.on('readable', onReadable);
    stream.on('error', onError);
  });
}
