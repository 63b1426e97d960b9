/** What the export's writer thread is sent: batches of the clear archive, then its end (or an abort). */
export type ToWriter = { type: 'data'; chunk: Uint8Array } | { type: 'end' } | { type: 'abort' };

/** What it answers: a batch taken, the file written (its SHA-256 and size), or why not. */
export type FromWriter =
  | { type: 'ack' }
  | { type: 'done'; sha256: string; bytes: number }
  | { type: 'failed'; message: string };
