import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { encryptToX25519, x25519RecipientKey } from '../../crypto/age-x25519.js';
import { lowerThisThreadPriority } from '../../storage/background-thread.js';
import { encryptTo, HashingStream } from '../backup/archive.js';
import type { FromWriter, ToWriter } from './age-worker-messages.js';

/**
 * The export's encryption, off the event loop: on the main thread it would take its time slice
 * from the other requests, and serialise with the reading and archiving that run beside it. Receives the clear archive in batches,
 * writes only its encryption to the `.partial` file, and reports the file's SHA-256 and size.
 */
const { recipient, file } = workerData as { recipient: string; file: string };
const port = parentPort!;
lowerThisThreadPriority();
const queue: Uint8Array[] = [];
let ended = false;
let aborted = false;
let wake: (() => void) | null = null;

port.on('message', (message: ToWriter) => {
  if (message.type === 'data') queue.push(message.chunk);
  else if (message.type === 'end') ended = true;
  else aborted = true;
  wake?.();
});

/** The batches in order; each one taken is acknowledged, so the sender may send another. */
async function* batches(): AsyncGenerator<Uint8Array> {
  for (;;) {
    // Thrown into the pipeline, which then closes the file: a stopped thread leaves no open file.
    if (aborted) throw new Error('the export was stopped');
    const next = queue.shift();
    if (next) {
      port.postMessage({ type: 'ack' } satisfies FromWriter);
      yield next;
      continue;
    }
    if (ended) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
}

try {
  const hashing = new HashingStream();
  // 'wx': the caller removed any earlier partial file; two writers never share one.
  // A megabyte buffered: while one write is at the disk, the next ones gather into one writev.
  const out = fs.createWriteStream(file, {
    flags: 'wx',
    mode: 0o600,
    flush: true,
    highWaterMark: 1024 * 1024,
  });
  // Plain X25519 recipients through OpenSSL's ChaCha20-Poly1305; any other kind through
  // age-encryption (src/crypto/age-x25519.ts says why).
  const key = x25519RecipientKey(recipient);
  if (key) {
    await pipeline(
      Readable.from(batches(), { objectMode: false }),
      encryptToX25519(key),
      hashing,
      out,
    );
  } else {
    await pipeline(await encryptTo(recipient, batches()), hashing, out);
  }
  port.postMessage({
    type: 'done',
    sha256: hashing.digest(),
    bytes: hashing.size,
  } satisfies FromWriter);
} catch (error) {
  port.postMessage({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  } satisfies FromWriter);
}
port.close();
