import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Readable as NodeReadable, type Readable } from 'node:stream';
import { Decrypter } from 'age-encryption';
import tar from 'tar-stream';
import { discard, HashingStream } from '../backup/archive.js';
import {
  EXPORT_FORMAT,
  MANIFEST_ENTRY,
  SIGNATURE_ENTRY,
  type ExportCounts,
  type ExportEntry,
} from './export-archive.js';
import { verifyExportStatement } from './export-signature.js';

/** An export file that is not what it claims; the message is one line for the terminal. */
export class ExportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportFileError';
  }
}

export interface ExportManifest {
  format: string;
  /** The département's code: whose key must have signed it. */
  tenant: string;
  createdAt: string;
  /** The receipt code only the recipient can read: with the manifest's hash, their acknowledgement. */
  receipt?: string;
  instruction: {
    id: string;
    kind: string;
    purpose: string;
    recipient: { name: string; contact: string };
    fields: string[];
    documentCategories: string[];
  };
  counts: ExportCounts;
  signedBy: { name: string; publicKey: string };
  entries: ExportEntry[];
}

const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * Decrypts an export as a stream with the recipient's identities, hashes every entry and checks
 * the manifest (the next-to-last entry) lists exactly those, with their sizes and SHA-256, and
 * that its signature (the last) is the département's. `trusted` decides whether the signing key
 * named in the manifest is one the reader trusts: a key found only in the file proves nothing.
 */
export async function verifyExportFile(
  source: Readable,
  identities: readonly string[],
  trusted: (publicKey: Buffer, tenant: string) => Promise<boolean>,
): Promise<ExportManifest & { manifestSha256: string }> {
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  let clear: Readable;
  try {
    const web = NodeReadable.toWeb(source) as unknown as ReadableStream<Uint8Array>;
    clear = NodeReadable.fromWeb(
      (await decrypter.decrypt(web)) as unknown as WebReadableStream<Uint8Array>,
    );
  } catch {
    throw new ExportFileError('not an age file for this identity (wrong key, or not an export)');
  }
  const extract = tar.extract();
  const feeding = pipeline(clear, extract as unknown as Writable);
  feeding.catch(() => undefined);
  const seen: ExportEntry[] = [];
  let manifestBytes: Buffer | null = null;
  let signature: Buffer | null = null;
  try {
    for await (const entry of extract) {
      const { name, size = 0, type } = entry.header;
      if (type !== 'file') throw new ExportFileError(`${name} is not a plain file`);
      if (signature !== null) throw new ExportFileError(`${name} follows the signature`);
      if (manifestBytes !== null && name !== SIGNATURE_ENTRY) {
        throw new ExportFileError(`${name} follows the manifest`);
      }
      if (name === MANIFEST_ENTRY || name === SIGNATURE_ENTRY) {
        if (size > MAX_MANIFEST_BYTES) throw new ExportFileError(`${name} is too large`);
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        if (name === MANIFEST_ENTRY) manifestBytes = Buffer.concat(chunks);
        else signature = Buffer.concat(chunks);
        continue;
      }
      const hashing = new HashingStream();
      await pipeline(entry, hashing, await discard({ path: name, size }));
      seen.push({ path: name, size: hashing.size, sha256: hashing.digest() });
    }
    await feeding;
  } catch (error) {
    source.destroy();
    extract.destroy();
    if (error instanceof ExportFileError) throw error;
    throw new ExportFileError(
      'the file is damaged, altered or truncated (decryption or archive failed)',
    );
  }
  if (manifestBytes === null || signature === null) {
    throw new ExportFileError('the archive ends without its signed manifest (truncated?)');
  }
  const manifest = parseManifest(manifestBytes);
  checkSignature(manifestBytes, signature, manifest);
  if (!(await trusted(Buffer.from(manifest.signedBy.publicKey, 'base64'), manifest.tenant))) {
    throw new ExportFileError(
      `the manifest is signed by ${manifest.signedBy.name}, a key this reader does not trust for département ${manifest.tenant}`,
    );
  }
  checkEntries(manifest.entries, seen);
  return { ...manifest, manifestSha256: createHash('sha256').update(manifestBytes).digest('hex') };
}

function parseManifest(bytes: Buffer): ExportManifest {
  let parsed: ExportManifest;
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as ExportManifest;
  } catch {
    throw new ExportFileError('the manifest is not JSON');
  }
  if (
    parsed?.format !== EXPORT_FORMAT ||
    !Array.isArray(parsed.entries) ||
    typeof parsed.tenant !== 'string'
  ) {
    throw new ExportFileError(`not a ${EXPORT_FORMAT} manifest`);
  }
  return parsed;
}

function checkSignature(manifest: Buffer, sigEntry: Buffer, parsed: ExportManifest): void {
  let signature: Buffer;
  try {
    signature = Buffer.from(
      (JSON.parse(sigEntry.toString('utf8')) as { signature: string }).signature,
      'base64',
    );
  } catch {
    throw new ExportFileError('the signature entry is unreadable');
  }
  const publicKey = Buffer.from(String(parsed.signedBy?.publicKey ?? ''), 'base64');
  if (!verifyExportStatement(publicKey, 'export-manifest', manifest, signature)) {
    throw new ExportFileError('the manifest’s signature does not verify: it was altered');
  }
}

function checkEntries(listed: readonly ExportEntry[], seen: readonly ExportEntry[]): void {
  const byPath = new Map(listed.map((e) => [e.path, e]));
  if (byPath.size !== listed.length) throw new ExportFileError('the manifest lists a path twice');
  for (const e of seen) {
    const expected = byPath.get(e.path);
    if (!expected) throw new ExportFileError(`${e.path} is not in the manifest`);
    if (expected.size !== e.size || expected.sha256 !== e.sha256) {
      throw new ExportFileError(`${e.path} does not match its hash in the manifest`);
    }
    byPath.delete(e.path);
  }
  const missing = [...byPath.keys()][0];
  if (missing !== undefined) throw new ExportFileError(`${missing} is missing from the archive`);
}
