import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TamperedError } from '../../crypto/key-manager.js';
import { PersonCipher } from '../../crypto/vault.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { openSealed, openSealedBytes, putSealed, startAuthenticated } from './sealed-blobs.js';

const CHUNK = 64 * 1024;
const HEADER = 15;

/** A blob store in memory whose reads come in the size asked for. */
function memoryBlobs() {
  const stored = new Map<string, Buffer>();
  let asked: number | undefined;
  const blobs: BlobStore = {
    async put(source) {
      const parts: Buffer[] = [];
      for await (const c of source) parts.push(c as Buffer);
      const key = String(stored.size + 1).padStart(32, '0');
      stored.set(key, Buffer.concat(parts));
      return { key };
    },
    async open(key, options) {
      asked = options?.readSize;
      const bytes = stored.get(key)!;
      const size = options?.readSize ?? 64 * 1024;
      const reads: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += size) reads.push(bytes.subarray(at, at + size));
      return Readable.from(reads);
    },
    async readMany(keys) {
      return keys.map((key) => Buffer.from(stored.get(key)!));
    },
    async delete(key) {
      stored.delete(key);
    },
    async list() {
      return [];
    },
    async removeTemporaries() {
      return 0;
    },
  };
  return { blobs, stored, readSize: () => asked };
}

const cipher = new PersonCipher('tenant', 'person', randomBytes(32), 1);

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe('startAuthenticated', () => {
  it('gives back the same stream once the first chunk authenticated, whole when read', async () => {
    const { blobs, readSize } = memoryBlobs();
    const plain = randomBytes(5 * CHUNK + 3);
    const { key } = await putSealed(blobs, cipher, 'doc', Readable.from([plain]));
    const opened = await openSealed(blobs, cipher, 'doc', key);
    expect(readSize()! % (CHUNK + 16)).toBe(0);
    const started = await startAuthenticated(opened);
    expect(started).toBe(opened);
    // Piped, as Fastify sends it.
    const out = new PassThrough();
    started.pipe(out);
    expect((await readAll(out)).equals(plain)).toBe(true);
  });

  it('resolves for an empty document', async () => {
    const { blobs } = memoryBlobs();
    const { key } = await putSealed(blobs, cipher, 'doc', Readable.from([Buffer.alloc(0)]));
    const started = await startAuthenticated(await openSealed(blobs, cipher, 'doc', key));
    expect((await readAll(started)).length).toBe(0);
  });

  it('rejects, before any byte, when the first chunk is altered', async () => {
    const { blobs, stored } = memoryBlobs();
    const { key } = await putSealed(blobs, cipher, 'doc', Readable.from([randomBytes(3 * CHUNK)]));
    stored.get(key)![HEADER + 100]! ^= 0x01;
    const opened = await openSealed(blobs, cipher, 'doc', key);
    await expect(startAuthenticated(opened)).rejects.toBeInstanceOf(TamperedError);
  });

  it('rejects a blob moved under another document', async () => {
    const { blobs } = memoryBlobs();
    const { key } = await putSealed(blobs, cipher, 'doc', Readable.from([randomBytes(10)]));
    const opened = await openSealed(blobs, cipher, 'other-doc', key);
    await expect(startAuthenticated(opened)).rejects.toBeInstanceOf(TamperedError);
  });

  it('resolves when a later chunk is altered; the stream then fails after the good chunks', async () => {
    const { blobs, stored } = memoryBlobs();
    const plain = randomBytes(6 * CHUNK);
    const { key } = await putSealed(blobs, cipher, 'doc', Readable.from([plain]));
    stored.get(key)![HEADER + 5 * (CHUNK + 16) + 10]! ^= 0x01;
    const started = await startAuthenticated(await openSealed(blobs, cipher, 'doc', key));
    const parts: Buffer[] = [];
    await expect(
      (async () => {
        for await (const c of started) parts.push(c as Buffer);
      })(),
    ).rejects.toBeInstanceOf(TamperedError);
    const clear = Buffer.concat(parts);
    expect(clear.length).toBe(5 * CHUNK);
    expect(clear.equals(plain.subarray(0, 5 * CHUNK))).toBe(true);
  });
});

describe('openSealedBytes', () => {
  it('opens a stored document read whole, bound to its document id and person', async () => {
    const { blobs } = memoryBlobs();
    const plain = randomBytes(2 * CHUNK + 9);
    const { key } = await putSealed(blobs, cipher, 'doc', Readable.from([plain]));
    const [stored] = await blobs.readMany([key]);
    expect(openSealedBytes(cipher, 'doc', stored!).equals(plain)).toBe(true);
    expect(() => openSealedBytes(cipher, 'other-doc', stored!)).toThrow(TamperedError);
    const other = new PersonCipher('tenant', 'other-person', randomBytes(32), 1);
    expect(() => openSealedBytes(other, 'doc', stored!)).toThrow(TamperedError);
    stored![HEADER + 5]! ^= 0x01;
    expect(() => openSealedBytes(cipher, 'doc', stored!)).toThrow(TamperedError);
  });
});
