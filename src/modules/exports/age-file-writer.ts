import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { BACKGROUND_THREAD_LIMITS } from '../../storage/background-thread.js';
import type { FromWriter, ToWriter } from './age-worker-messages.js';

/** Clear bytes gathered before a batch goes to the writer thread (tar's 512-byte pieces joined). */
const BATCH_BYTES = 256 * 1024;
/** Batches sent and not yet taken: what the export holds in flight is about a megabyte. */
const MAX_IN_FLIGHT = 4;
/** How long an aborted thread has to close its file before it is terminated. */
const STOP_GRACE_MS = 5_000;

/** The encrypted file once written: its SHA-256 and size. */
export interface WrittenFile {
  sha256: string;
  bytes: number;
}

/**
 * A stream that encrypts what is written to it to one age recipient into `file`, in a worker
 * thread (age-encrypt.worker.ts). Its end resolves once the file is complete and flushed to disk;
 * `written()` then gives its hash and size. Backpressure holds the writer back while the thread
 * lags, so memory stays bounded whatever the size. Destroying it stops the thread; the partial
 * file is the caller's to remove.
 */
export class AgeFileWriter extends Writable {
  private readonly worker: Worker;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight = 0;
  private resume: (() => void) | null = null;
  private finished: ((error?: Error | null) => void) | null = null;
  private result: WrittenFile | null = null;
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(recipient: string, file: string) {
    super({ highWaterMark: BATCH_BYTES });
    this.worker = new Worker(new URL('./age-encrypt.worker.js', import.meta.url), {
      workerData: { recipient, file },
      resourceLimits: BACKGROUND_THREAD_LIMITS,
    });
    this.worker.on('message', (message: FromWriter) => this.onMessage(message));
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        if (this.result === null) this.fail(new Error(`the export's writer stopped (${code})`));
        resolve();
      }),
    );
  }

  /**
   * Resolves once the thread is gone: asked to abort (its pipeline then closes the partial file),
   * terminated if it has not within a few seconds.
   */
  async stopped(): Promise<void> {
    if (this.result === null) this.send({ type: 'abort' });
    const late = setTimeout(() => void this.worker.terminate(), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(late);
  }

  /** The encrypted file's hash and size, once the stream has finished. */
  written(): WrittenFile {
    if (this.result === null) throw new Error('the export file is not written yet');
    return this.result;
  }

  private onMessage(message: FromWriter): void {
    if (message.type === 'ack') {
      this.inFlight -= 1;
      const resume = this.resume;
      this.resume = null;
      resume?.();
    } else if (message.type === 'done') {
      this.result = { sha256: message.sha256, bytes: message.bytes };
      this.finished?.(null);
    } else {
      this.fail(new Error(message.message));
    }
  }

  private fail(error: Error): void {
    if (this.failure !== null || this.result !== null) return;
    this.failure = error;
    const resume = this.resume;
    this.resume = null;
    resume?.();
    if (this.finished) this.finished(error);
    else this.destroy(error);
  }

  private send(message: ToWriter, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** Sends what is gathered as one batch, waiting first while too many are in flight. */
  private async flushBatch(): Promise<void> {
    if (this.pendingBytes === 0) return;
    while (this.inFlight >= MAX_IN_FLIGHT && this.failure === null) {
      await new Promise<void>((resolve) => (this.resume = resolve));
    }
    if (this.failure !== null) throw this.failure;
    // A buffer of its own (never a slice of Node's shared pool), so it can be handed over.
    const batch = Buffer.allocUnsafeSlow(this.pendingBytes);
    let offset = 0;
    for (const piece of this.pending) offset += piece.copy(batch, offset);
    this.pending = [];
    this.pendingBytes = 0;
    this.inFlight += 1;
    this.send({ type: 'data', chunk: batch }, [batch.buffer as ArrayBuffer]);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void) {
    if (this.failure !== null) return done(this.failure);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < BATCH_BYTES) return done();
    this.flushBatch().then(() => done(), done);
  }

  override _final(done: (error?: Error | null) => void) {
    this.flushBatch().then(() => {
      if (this.result !== null) return done();
      this.finished = done;
      this.send({ type: 'end' });
    }, done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void) {
    this.stopped().then(
      () => done(error),
      () => done(error),
    );
  }
}
