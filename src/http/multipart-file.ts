import { PassThrough } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { Problem, problems } from '../errors.js';
import type { UploadedFile } from '../modules/documents/uploaded-file.js';

/**
 * What a failure of the multipart parser means for the client. The plugin's own errors carry an
 * `FST_` code that the one error handler maps (limits, file too large, premature close). The
 * parser underneath (busboy) raises plain errors with no code for everything else — no
 * boundary, a boundary it cannot use, part headers that never end, a body that stops before
 * the closing boundary — and all of those are a body the client built wrong. They come only
 * from reading the request, never from storage, so a 400 is always right for them.
 */
function asUploadProblem(error: unknown): Error {
  if (error instanceof Problem) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('FST_')) return error;
  return problems.validation('Le formulaire envoyé est mal formé.');
}

/**
 * Starts reading a multipart body that must hold exactly one file and nothing else. Nothing of
 * the body is read before this is called, so a caller authorizes first. `maxBytes` is the
 * parser's own cut-off (the caller's inspector enforces the real limit).
 */
export async function openSingleFile(
  request: FastifyRequest,
  maxBytes: number,
): Promise<UploadedFile> {
  if (!request.isMultipart()) {
    throw problems.unsupportedMedia('Envoyez le fichier en multipart/form-data.');
  }
  const parts = request.parts({
    limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 },
  });
  const next = async () => {
    try {
      return await parts.next();
    } catch (error) {
      throw asUploadProblem(error);
    }
  };
  const first = await next();
  const part = first.done ? undefined : first.value;
  if (!part || part.type !== 'file') throw problems.validation('Aucun fichier reçu.');
  // pipe() does not forward errors, and the parser's would be unmapped ones: each is turned
  // into the problem it means before any consumer sees it, so a cut-off upload also ends the
  // consumer's pipeline (and its temporary file) instead of leaving it waiting.
  const bytes = new PassThrough();
  part.file.once('error', (error) => bytes.destroy(asUploadProblem(error)));
  part.file.pipe(bytes);
  return {
    fileName: part.filename,
    bytes,
    get truncated() {
      return part.file.truncated;
    },
    async expectEnd() {
      // Reading on is what surfaces a second file, a field or a body cut after the file: one
      // part per upload, never a silently dropped extra.
      if (!(await next()).done) throw problems.validation('Envoyez un seul fichier.');
    },
  };
}
