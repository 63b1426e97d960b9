import { Worker } from 'node:worker_threads';
import type { ReadReply, ReadRequest } from './blob-reader-messages.js';
import { BACKGROUND_THREAD_LIMITS } from './background-thread.js';

/** Files a blob reader thread reads at the caller's request; started on first use. */
export class BlobReader {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (files: Buffer[]) => void; reject: (error: Error) => void; files: string[] }
  >();

  /** The files' whole contents, in order; rejects (ENOENT...) if any one cannot be read. */
  read(files: readonly string[]): Promise<Buffer[]> {
    if (files.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, files: [...files] });
      this.started().postMessage({ id, files: [...files] } satisfies ReadRequest);
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./blob-reader.worker.js', import.meta.url), {
      resourceLimits: BACKGROUND_THREAD_LIMITS,
    });
    // Idle, it keeps nothing alive: a process may end with the thread started.
    worker.unref();
    worker.on('message', (reply: ReadReply) => this.answer(reply));
    const failAll = (error: Error) => {
      this.worker = null;
      for (const { reject } of this.waiting.values()) reject(error);
      this.waiting.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the blob reader stopped (${code})`)));
    this.worker = worker;
    return worker;
  }

  private answer({ id, bytes, lengths }: ReadReply): void {
    const asked = this.waiting.get(id);
    if (!asked) return;
    this.waiting.delete(id);
    const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: Buffer[] = [];
    let offset = 0;
    for (const [i, length] of lengths.entries()) {
      if (typeof length === 'string') {
        const error = new Error(
          `${length}: cannot read ${asked.files[i]}`,
        ) as NodeJS.ErrnoException;
        error.code = length;
        return asked.reject(error);
      }
      out.push(all.subarray(offset, offset + length));
      offset += length;
    }
    asked.resolve(out);
  }
}
