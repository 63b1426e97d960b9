/**
 * Hand-built multipart/form-data bodies. FormData escapes file names the way browsers do, so a
 * hostile client's raw bytes (quotes, control characters, several files) need a builder of their
 * own.
 */

export const BOUNDARY = '----cloison-test-boundary-7d1f3c';

export const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

export interface RawPart {
  /** The raw Content-Disposition parameters after `form-data; `, sent as UTF-8 bytes. */
  disposition: string;
  body: Buffer;
  mediaType?: string;
}

/** A file part named "file" with the file name given verbatim inside double quotes. */
export function filePart(fileName: string, body: Buffer, mediaType = 'application/pdf'): RawPart {
  return { disposition: `name="file"; filename="${fileName}"`, body, mediaType };
}

/** The head of one part: boundary line and headers, up to the blank line. */
export function partHead(part: Omit<RawPart, 'body'>): Buffer {
  const type = part.mediaType ? `\r\nContent-Type: ${part.mediaType}` : '';
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; ${part.disposition}${type}\r\n\r\n`,
    'utf8',
  );
}

/** The closing boundary. */
export const CLOSING = Buffer.from(`--${BOUNDARY}--\r\n`);

/** A whole multipart body holding the given parts, in order. */
export function multipartBody(parts: RawPart[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) chunks.push(partHead(part), part.body, Buffer.from('\r\n'));
  chunks.push(CLOSING);
  return Buffer.concat(chunks);
}
