import { Transform, type TransformCallback } from 'node:stream';
import { problems } from '../../errors.js';

export type AcceptedMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

const SIGNATURES: ReadonlyArray<{ type: AcceptedMediaType; bytes: number[] }> = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

/** Longest signature: how many leading bytes detection needs. */
const SNIFF_BYTES = 8;

/** The media type the leading bytes prove, or null. The client's declared type is ignored. */
function detectMediaType(head: Buffer): AcceptedMediaType | null {
  for (const sig of SIGNATURES) {
    if (head.length >= sig.bytes.length && sig.bytes.every((b, i) => head[i] === b))
      return sig.type;
  }
  return null;
}

/**
 * Passes bytes through while checking the magic bytes and the size limit; fails the stream (so
 * the blob store discards its temporary file) on the first violation.
 */
export class UploadInspector extends Transform {
  private head = Buffer.alloc(0);
  private size = 0;
  private sniffed = false;
  mediaType: AcceptedMediaType | null = null;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      done(
        problems.tooLarge(`Le fichier dépasse ${Math.floor(this.maxBytes / (1024 * 1024))} Mo.`),
      );
      return;
    }
    if (!this.sniffed) {
      this.head = Buffer.concat([this.head, chunk]).subarray(0, SNIFF_BYTES);
      if (this.head.length >= SNIFF_BYTES) {
        this.sniffed = true;
        this.mediaType = detectMediaType(this.head);
        if (this.mediaType === null) {
          done(problems.unsupportedMedia('Seuls les fichiers PDF, JPEG et PNG sont acceptés.'));
          return;
        }
      }
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.size === 0) {
      done(problems.validation('Le fichier est vide.'));
      return;
    }
    if (!this.sniffed) this.mediaType = detectMediaType(this.head);
    if (this.mediaType === null) {
      done(problems.unsupportedMedia('Seuls les fichiers PDF, JPEG et PNG sont acceptés.'));
      return;
    }
    done();
  }
}

/**
 * A file name safe to store and echo: no path, no control or invisible formatting characters
 * (a right-to-left override makes "facture\u202Efdp.exe" display as "factureexe.pdf"), no line
 * separators, no lone surrogates, at most 200 code points (never cut inside a surrogate pair).
 */
export function sanitizeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = [...base.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFD"<>|*?:]/gu, '_').trim()]
    .slice(0, 200)
    .join('');
  return clean === '' || clean === '.' || clean === '..' ? 'document' : clean;
}
