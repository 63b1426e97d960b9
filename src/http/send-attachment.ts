import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { TamperedError } from '../crypto/key-manager.js';
import { recordSecurityEvent } from '../modules/events/security-events.js';
import { contextOf } from './request-context.js';

/** A file leaving the server: always an attachment, never sniffed, never cached. */
export interface Attachment {
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  /** Authenticated chunks: an altered one errors the stream with TamperedError. */
  readonly stream: Readable;
  /** What the file is, for the integrity event if a chunk turns out altered. */
  readonly object: { readonly type: string; readonly id: string };
}

/** Integrity failures already recorded with their object: the error handler adds no second one. */
const recordedFailures = new WeakSet<Error>();

/** Whether an integrity failure was recorded by the download it cut. */
export function integrityFailureRecorded(error: Error): boolean {
  return recordedFailures.has(error);
}

/**
 * Sends a stored file as a download. The headers make a browser save it, not render it (no
 * sniffing, a sandboxing CSP, no cache). The stream reads ahead of the socket: an altered chunk
 * found before the headers leave still becomes a problem answer; past them it can only cut the
 * transfer short. Either way it is recorded once, as an integrity failure of this object.
 */
export async function sendAttachment(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  file: Attachment,
): Promise<void> {
  const recordFailure = async (error: Error): Promise<void> => {
    if (!(error instanceof TamperedError) || recordedFailures.has(error)) return;
    recordedFailures.add(error);
    await recordSecurityEvent(deps, contextOf(request), {
      kind: 'data.integrity-failure',
      actor: request.actor,
      objectType: file.object.type,
      objectId: file.object.id,
    });
  };
  // Past the headers nothing waits for the record: the transfer is cut short either way.
  file.stream.once('error', (error) => void recordFailure(error));
  // Failed while the caller was getting here (a later chunk, read ahead): no listener saw it.
  // The problem answer leaves only once its record is written.
  const early = file.stream.errored;
  if (early) {
    await recordFailure(early);
    throw early;
  }
  await reply
    .code(200)
    .type(file.mediaType)
    .header('content-length', String(file.sizeBytes))
    .header('content-disposition', attachmentDisposition(file.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'; sandbox")
    .send(file.stream);
}

/**
 * Content-Disposition for a download: always an attachment, RFC 6266 / 8187 encoded. The
 * ext-value escapes what encodeURIComponent leaves but RFC 8187 attr-char forbids (' ( ) *).
 */
function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
