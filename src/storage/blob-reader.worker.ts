import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { ReadReply, ReadRequest } from './blob-reader-messages.js';
import { lowerThisThreadPriority } from './background-thread.js';

/**
 * Reads batches of small blob files, synchronously: blocking here costs the event loop nothing,
 * where one asynchronous read per file (open, stat, read, close through the thread pool) costs
 * it about as much as the export's whole work on a one-page piece. The batch comes back as one
 * buffer handed over without a copy, with each file's length, or why a file could not be read.
 */
const port = parentPort!;
lowerThisThreadPriority();

port.on('message', ({ id, files }: ReadRequest) => {
  const contents: (Buffer | string)[] = files.map((file) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? 'EIO';
    }
  });
  const total = contents.reduce((sum, c) => sum + (typeof c === 'string' ? 0 : c.length), 0);
  // A buffer of its own (never a slice of Node's shared pool), so it can be handed over.
  const joined = Buffer.allocUnsafeSlow(total);
  let offset = 0;
  const lengths = contents.map((c) => {
    if (typeof c === 'string') return c;
    offset += c.copy(joined, offset);
    return c.length;
  });
  port.postMessage({ id, bytes: joined, lengths } satisfies ReadReply, [
    joined.buffer as ArrayBuffer,
  ]);
});
