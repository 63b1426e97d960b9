import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter } from 'age-encryption';
import tar from 'tar-stream';
import { SEAL_ENTRY } from './manifest-seal.js';
import {
  MANIFEST_ENTRY,
  ManifestError,
  checkEntries,
  isArchivePath,
  parseManifest,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';

/**
 * The backup file: a tar stream encrypted on the fly to an age X25519 recipient, read back as a
 * stream (nothing is ever whole in memory but the manifest). age is a published format with an
 * independent implementation (Debian's `age`), so an operator can always open a backup without
 * Cloison.
 */

/** An age recipient, identity or backup file that cannot be used; the message is one line. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

const X25519_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;

/** Checks an X25519 recipient (`age1…`, as age-keygen prints it); throws BackupError if not. */
export function parseRecipient(value: string): string {
  const recipient = value.trim();
  if (!X25519_RECIPIENT.test(recipient)) {
    throw new BackupError('the recipient must be an age X25519 public key (age1…, 62 characters)');
  }
  try {
    new Encrypter().addRecipient(recipient);
  } catch {
    throw new BackupError('the recipient is not a valid age public key (bad checksum)');
  }
  return recipient;
}

/**
 * Reads an age identity file as age-keygen writes it: `AGE-SECRET-KEY-1…` lines, `#` comments.
 * The keys never appear in an error message.
 */
export function readIdentityFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new BackupError(`cannot read the identity file ${file}`);
  }
  const identities = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (identities.length === 0) throw new BackupError(`${file} holds no age identity`);
  for (const [i, identity] of identities.entries()) {
    try {
      if (!identity.startsWith('AGE-SECRET-KEY-1')) throw new Error('not X25519');
      new Decrypter().addIdentity(identity);
    } catch {
      throw new BackupError(`${file}: identity ${i + 1} is not an age X25519 secret key`);
    }
  }
  return identities;
}

/** A pass-through that counts and hashes (SHA-256) what flows through it. */
export class HashingStream extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    done(null, chunk);
  }

  /** The hex digest; call once the stream has ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Encrypts a byte stream to one age recipient, as a stream. */
export async function encryptTo(
  recipient: string,
  source: AsyncIterable<unknown>,
): Promise<Readable> {
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  // A pulling web stream: the archive is produced only as fast as the file is written.
  const web = ReadableStream.from(source) as unknown as ReadableStream<Uint8Array>;
  const encrypted = await encrypter.encrypt(web);
  return Readable.fromWeb(encrypted as unknown as WebReadableStream<Uint8Array>);
}

/** Turns what age or tar throws into the one line an operator reads. */
export function describeFailure(error: unknown): string {
  if (error instanceof BackupError || error instanceof ManifestError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/no identity matched/i.test(message)) {
    return 'wrong identity: the backup was encrypted to another age recipient';
  }
  if (/invalid tag|chunk|stream|premature|unexpected end|truncat|ended/i.test(message)) {
    return `the backup is damaged, altered or truncated (decryption failed: ${message})`;
  }
  if (/version line|header|stanza|mac/i.test(message)) {
    return `not an intact age file (${message})`;
  }
  return message;
}

/** Where the reader writes an entry's content; a sink when the caller keeps nothing. */
export type EntrySink = (entry: { path: string; size: number }) => Promise<Writable>;

/** A sink that discards (what verify does with blobs: they are hashed on the way). */
export const discard: EntrySink = async () =>
  new Writable({
    write: (_chunk, _encoding, done) => done(),
  });

// About 120 bytes an entry: room for half a million documents, and no more than a forger may make us hold.
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * Decrypts a backup as a stream, walks its archive and hashes every entry on the way to the
 * sink; then checks that the manifest, which must be the last entry, lists exactly those
 * entries. Anything wrong throws, with the reason (describeFailure makes it one line).
 */
export async function readBackup(
  source: Readable,
  identities: readonly string[],
  sink: EntrySink,
): Promise<{
  manifest: Manifest;
  entries: ManifestEntry[];
  /** The manifest's exact bytes and the seal that follows it (null when there is none). */
  manifestBytes: Buffer;
  seal: Buffer | null;
}> {
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  const web = Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>;
  const clear = Readable.fromWeb(
    (await decrypter.decrypt(web)) as unknown as WebReadableStream<Uint8Array>,
  );
  const extract = tar.extract();
  const feeding = pipeline(clear, extract as unknown as Writable);
  // Its failure also ends the iteration below, which rethrows it; awaited after.
  feeding.catch(() => undefined);
  const entries: ManifestEntry[] = [];
  const seen = new Set<string>();
  let manifest: Manifest | null = null;
  let manifestBytes = Buffer.alloc(0);
  let seal: Buffer | null = null;
  const readSmall = async (
    entry: AsyncIterable<unknown>,
    max: number,
    what: string,
    size: number,
  ) => {
    if (size > max) throw new ManifestError(`the ${what} is too large`);
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  try {
    for await (const entry of extract) {
      const { name, size = 0, type } = entry.header;
      if (type !== 'file') throw new ManifestError(`${name} is not a plain file`);
      if (manifest) {
        // Only the seal may follow the manifest, once.
        if (name !== SEAL_ENTRY || seal !== null)
          throw new ManifestError(`an entry (${name}) follows the manifest`);
        seal = await readSmall(entry, 4096, 'seal', size);
        continue;
      }
      if (name === MANIFEST_ENTRY) {
        manifestBytes = await readSmall(entry, MAX_MANIFEST_BYTES, 'manifest', size);
        manifest = parseManifest(manifestBytes.toString('utf8'));
        continue;
      }
      if (!isArchivePath(name)) throw new ManifestError(`unexpected entry ${name}`);
      if (seen.has(name)) throw new ManifestError(`${name} appears twice`);
      seen.add(name);
      const hashing = new HashingStream();
      await pipeline(entry, hashing, await sink({ path: name, size }));
      if (hashing.size !== size) throw new ManifestError(`${name} is shorter than its header says`);
      entries.push({ path: name, size, sha256: hashing.digest() });
    }
    await feeding;
  } catch (error) {
    // Stop reading the file at once: nothing more of it is wanted.
    source.destroy();
    extract.destroy();
    throw error;
  }
  if (!manifest) throw new ManifestError('the archive ends without its manifest (truncated?)');
  checkEntries(manifest, entries);
  return { manifest, entries, manifestBytes, seal };
}
