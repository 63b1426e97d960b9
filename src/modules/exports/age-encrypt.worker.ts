import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../../storage/background-thread.js';
import { encryptTo, HashingStream } from '../backup/archive.js';
import type { FromWriter, ToWriter } from './age-worker-messages.js';

/**
 * The export's encryption, off the event loop: age's ChaCha20-Poly1305 is JavaScript, and on the
 * main thread it would take the export's whole time slice from the other requests (and serialise
 * with the reading and archiving that can run beside it). Receives the clear archive in batches,
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
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600, flush: true });
  await pipeline(await encryptTo(recipient, batches()), hashing, out);
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
