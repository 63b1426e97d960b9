import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { TamperedError } from './key-manager.js';

/**
 * Document bytes encrypted as a stream of authenticated chunks (the STREAM construction, as in
 * age): a 20 MB upload never sits whole in memory, and a chunk that is altered, dropped,
 * reordered or cut off is detected.
 *
 * Layout: magic "CLB1" | key version u32 BE | nonce prefix 7 bytes | chunks.
 * Each chunk is AES-256-GCM over up to CHUNK plaintext bytes, nonce = prefix | counter u32 BE |
 * last-flag byte, associated data = caller's binding | header. The last chunk (possibly empty)
 * carries flag 1, so truncation at a chunk boundary fails too.
 */
const CHUNK = 64 * 1024;
const MAGIC = Buffer.from('CLB1');
const HEADER = 4 + 4 + 7;
const TAG = 16;

function nonce(prefix: Buffer, counter: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(counter, 7);
  n.writeUInt8(last ? 1 : 0, 11);
  return n;
}

/** Encrypting transform: plaintext in, stored form out. */
export function encryptStream(key: Buffer, keyVersion: number, associated: Buffer): Transform {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(keyVersion, 4);
  randomBytes(7).copy(header, 8);
  const prefix = header.subarray(8, HEADER);
  const ad = Buffer.concat([associated, header]);
  let pending: Buffer = Buffer.alloc(0);
  let counter = 0;
  let started = false;

  const sealChunk = (plain: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(prefix, counter++, last));
    cipher.setAAD(ad);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };

  return new Transform({
    transform(data: Buffer, _enc, done: TransformCallback) {
      if (!started) {
        this.push(header);
        started = true;
      }
      pending = pending.length ? Buffer.concat([pending, data]) : data;
      // Keep at least one byte back: only flush() knows which chunk is the last.
      while (pending.length > CHUNK) {
        this.push(sealChunk(pending.subarray(0, CHUNK), false));
        pending = pending.subarray(CHUNK);
      }
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(header);
      this.push(sealChunk(pending, true));
      done();
    },
  });
}

/** The key version a stored blob was written under, from its first bytes. */
function blobKeyVersion(head: Buffer): number {
  if (head.length < HEADER || !head.subarray(0, 4).equals(MAGIC)) throw new TamperedError('blob');
  return head.readUInt32BE(4);
}

/**
 * Decrypting transform: stored form in, plaintext out. A chunk's bytes are released only once
 * its tag verified; any failure errors the stream with TamperedError.
 */
export function decryptStream(
  key: Buffer,
  associated: Buffer,
  expectedVersion?: number,
): Transform {
  let header: Buffer | null = null;
  let prefix: Buffer = Buffer.alloc(0);
  let ad: Buffer = Buffer.alloc(0);
  let pending: Buffer = Buffer.alloc(0);
  let counter = 0;

  const openChunk = (sealed: Buffer, last: boolean): Buffer => {
    if (sealed.length < TAG) throw new TamperedError('blob');
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(prefix, counter++, last));
    decipher.setAAD(ad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG)),
        decipher.final(),
      ]);
    } catch {
      throw new TamperedError('blob');
    }
  };

  return new Transform({
    transform(data: Buffer, _enc, done: TransformCallback) {
      try {
        pending = pending.length ? Buffer.concat([pending, data]) : data;
        if (!header) {
          if (pending.length < HEADER) return done();
          header = Buffer.from(pending.subarray(0, HEADER));
          const version = blobKeyVersion(header);
          if (expectedVersion !== undefined && version !== expectedVersion) {
            throw new TamperedError('blob');
          }
          prefix = header.subarray(8, HEADER);
          ad = Buffer.concat([associated, header]);
          pending = pending.subarray(HEADER);
        }
        // A full chunk followed by more bytes cannot be the last one.
        while (pending.length > CHUNK + TAG) {
          this.push(openChunk(pending.subarray(0, CHUNK + TAG), false));
          pending = pending.subarray(CHUNK + TAG);
        }
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!header) throw new TamperedError('blob');
        this.push(openChunk(pending, true));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
