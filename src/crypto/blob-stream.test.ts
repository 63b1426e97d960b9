import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { BLOB_READ_SIZE, decryptStream, decryptWhole, encryptStream } from './blob-stream.js';
import { TamperedError } from './key-manager.js';

const CHUNK = 64 * 1024;
const SEALED = CHUNK + 16;
const HEADER = 15;
const key = randomBytes(32);
const ad = Buffer.from('blob|tenant|person|document');

async function seal(plain: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of Readable.from([plain]).pipe(encryptStream(key, 1, ad))) {
    out.push(c as Buffer);
  }
  return Buffer.concat(out);
}

/** The stored form cut into reads of the given sizes (the last size repeats). */
function cut(stored: Buffer, sizes: number[]): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0, i = 0; at < stored.length; i++) {
    const size = sizes[Math.min(i, sizes.length - 1)]!;
    pieces.push(Buffer.from(stored.subarray(at, at + size)));
    at += size;
  }
  return pieces;
}

/** Decrypts reads one by one; returns what was released and the error, if any. */
async function open(reads: Buffer[], version?: number) {
  const released: Buffer[] = [];
  let error: unknown = null;
  try {
    await pipeline(
      Readable.from(reads),
      decryptStream(key, ad, version),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          released.push(chunk);
          done();
        },
      }),
    );
  } catch (e) {
    error = e;
  }
  return { clear: Buffer.concat(released), error };
}

const splits: Record<string, number[]> = {
  'one read': [Number.MAX_SAFE_INTEGER],
  '64 KiB reads (never aligned on chunks)': [64 * 1024],
  'the read size of the blob store': [BLOB_READ_SIZE],
  'a tag cut in two': [HEADER + CHUNK + 8, SEALED],
  'the header cut in three': [2, 5, 1000],
  'odd reads': [7, 65_541, 3, 131_101],
};

describe('decryptStream', () => {
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * CHUNK + 7]) {
    for (const [name, sizes] of Object.entries(splits)) {
      it(`gives back ${size} bytes read as ${name}`, async () => {
        const plain = randomBytes(size);
        const { clear, error } = await open(cut(await seal(plain), sizes), 1);
        expect(error).toBeNull();
        expect(clear.equals(plain)).toBe(true);
      });
    }
  }

  for (const [name, sizes] of Object.entries(splits)) {
    it(`releases nothing of an altered chunk, read as ${name}`, async () => {
      const plain = randomBytes(4 * CHUNK + 100);
      const stored = await seal(plain);
      // Inside the third chunk's ciphertext, and in its tag.
      for (const at of [HEADER + 2 * SEALED + 30_000, HEADER + 3 * SEALED - 3]) {
        const altered = Buffer.from(stored);
        altered[at]! ^= 0x01;
        const { clear, error } = await open(cut(altered, sizes));
        expect(error).toBeInstanceOf(TamperedError);
        // Only the chunks before it, whole, and nothing of it.
        expect(clear.length).toBeLessThanOrEqual(2 * CHUNK);
        expect(clear.length % CHUNK).toBe(0);
        expect(clear.equals(plain.subarray(0, clear.length))).toBe(true);
      }
    });
  }

  it('detects truncation at a chunk boundary, reordered chunks, a wrong version', async () => {
    const plain = randomBytes(3 * CHUNK + 10);
    const stored = await seal(plain);
    const chunks = [0, 1, 2, 3].map((i) =>
      stored.subarray(HEADER + i * SEALED, HEADER + (i + 1) * SEALED),
    );
    const header = stored.subarray(0, HEADER);
    const cases = {
      truncated: Buffer.concat([header, chunks[0]!, chunks[1]!, chunks[2]!]),
      reordered: Buffer.concat([header, chunks[1]!, chunks[0]!, chunks[2]!, chunks[3]!]),
      'no header': Buffer.concat(chunks),
      'a cut tag': stored.subarray(0, stored.length - 1),
      empty: Buffer.alloc(0),
    };
    for (const [what, bytes] of Object.entries(cases)) {
      const { error } = await open(cut(bytes, [BLOB_READ_SIZE]), 1);
      expect(error, what).toBeInstanceOf(TamperedError);
    }
    const { error } = await open([stored], 2);
    expect(error).toBeInstanceOf(TamperedError);
  });

  it('does not depend on the buffers read staying the same after it released their chunk', async () => {
    const plain = randomBytes(2 * CHUNK + 5);
    const reads = cut(await seal(plain), [BLOB_READ_SIZE]);
    const released: Buffer[] = [];
    await pipeline(
      Readable.from(reads),
      decryptStream(key, ad),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          released.push(Buffer.from(chunk));
          done();
        },
      }),
    );
    expect(Buffer.concat(released).equals(plain)).toBe(true);
  });
});

describe('decryptWhole', () => {
  const whole = (stored: Buffer, version?: number) => {
    try {
      return { clear: decryptWhole(key, ad, stored, version), error: null };
    } catch (error) {
      return { clear: null, error };
    }
  };

  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * CHUNK + 7]) {
    it(`gives back ${size} bytes, as the stream does`, async () => {
      const plain = randomBytes(size);
      const { clear, error } = whole(await seal(plain), 1);
      expect(error).toBeNull();
      expect(clear!.equals(plain)).toBe(true);
    });
  }

  it('refuses what the stream refuses: altered, truncated, reordered, headless, wrong version', async () => {
    const plain = randomBytes(3 * CHUNK + 10);
    const stored = await seal(plain);
    const chunks = [0, 1, 2, 3].map((i) =>
      stored.subarray(HEADER + i * SEALED, HEADER + (i + 1) * SEALED),
    );
    const header = stored.subarray(0, HEADER);
    const altered = Buffer.from(stored);
    altered[HEADER + SEALED + 100]! ^= 0x01;
    const tag = Buffer.from(stored);
    tag[stored.length - 1]! ^= 0x01;
    const cases = {
      altered,
      'an altered last tag': tag,
      truncated: Buffer.concat([header, chunks[0]!, chunks[1]!, chunks[2]!]),
      reordered: Buffer.concat([header, chunks[1]!, chunks[0]!, chunks[2]!, chunks[3]!]),
      'no header': Buffer.concat(chunks),
      'a cut tag': stored.subarray(0, stored.length - 1),
      'the header only': header,
      empty: Buffer.alloc(0),
    };
    for (const [what, bytes] of Object.entries(cases)) {
      expect(whole(bytes, 1).error, what).toBeInstanceOf(TamperedError);
    }
    expect(whole(stored, 2).error).toBeInstanceOf(TamperedError);
    expect(whole(stored, 1).clear!.equals(plain)).toBe(true);
  });
});
