import type { Readable } from 'node:stream';

/** The one file of a multipart upload, as the parser hands it over. */
export interface UploadedFile {
  /** The name the client gave, not yet sanitized. */
  readonly fileName: string | undefined;
  /** The file's bytes. The only errors it ends with are problems (a malformed body: 400). */
  readonly bytes: Readable;
  /** Whether the parser stopped the file at the size limit. */
  readonly truncated: boolean;
  /** Reads the body to its end: anything after the one file is refused, and so is a cut body. */
  expectEnd(): Promise<void>;
}
