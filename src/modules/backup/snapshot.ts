import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { Db } from '../../db/database.js';
import {
  openSnapshot,
  snapshotFacts,
  storageKeysAfter,
  vacuumInto,
  type SnapshotFacts,
} from '../../db/snapshot.js';
import { removeOnExit } from '../../storage/exit-cleanup.js';
import { blobFilePath } from '../../storage/file-blob-store.js';
import { BackupError, HashingStream, encryptTo } from './archive.js';
import {
  BACKUP_FORMAT,
  DATABASE_ENTRY,
  KEYRING_ENTRY,
  MANIFEST_ENTRY,
  blobEntry,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';
import { SEAL_ENTRY } from './manifest-seal.js';

/** What a backup is taken of. */
export interface BackupSource {
  /** The live database, opened as any reader (no lock: the server keeps writing). */
  db: Db;
  dataDir: string;
  keyManager: 'local' | 'pkcs11';
  /** The local keyring as stored (sealed under the master key); null with an HSM. */
  keyringFile: string | null;
  cloisonVersion: string;
  /** Seals the manifest's bytes with the platform key (manifest-seal.ts). */
  seal: (manifest: Buffer) => Promise<Buffer>;
}

export interface BackupResult {
  file: string;
  bytes: number;
  sha256: string;
  manifest: Manifest;
  /** How many snapshots it took (more than one when an erasure or a key change raced it). */
  attempts: number;
}

/** A blob the snapshot references was deleted before it was read (an erasure meanwhile). */
class MissingBlobError extends Error {}

/** The keyring changed after the snapshot was taken: database and keyring may not match. */
class StaleSnapshotError extends Error {}

const ATTEMPTS = 5;
const PAGE = 500;

interface Snapshot {
  file: string;
  keyring: Buffer | null;
  forget: () => void;
}

function readKeyring(file: string | null): Buffer | null {
  if (file === null) return null;
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BackupError(`no keyring at ${file}: a backup without it could never be read`);
    }
    throw error;
  }
}

/**
 * VACUUM INTO a temporary file of the data directory, with the keyring read before and after:
 * if it changed meanwhile (a rotation, an erasure's ratchet), the database and the keyring might
 * not match, so the snapshot is taken again.
 */
async function takeSnapshot(source: BackupSource): Promise<Snapshot> {
  for (let i = 0; i < ATTEMPTS; i += 1) {
    const before = readKeyring(source.keyringFile);
    const file = path.join(source.dataDir, `.backup-${randomBytes(8).toString('hex')}.sqlite`);
    const forget = removeOnExit(file);
    try {
      await vacuumInto(source.db, file);
    } catch (error) {
      fs.rmSync(file, { force: true });
      forget();
      throw error;
    }
    const after = readKeyring(source.keyringFile);
    if (before === null || (after !== null && before.equals(after))) {
      return { file, keyring: before, forget };
    }
    fs.rmSync(file, { force: true });
    forget();
  }
  throw new BackupError('the keyring kept changing while the database was copied: try again');
}

async function addEntry(
  pack: tar.Pack,
  entries: ManifestEntry[],
  name: string,
  size: number,
  content: Readable,
  mtime: Date,
): Promise<void> {
  const hashing = new HashingStream();
  const entry = pack.entry({ name, size, mode: 0o600, mtime, type: 'file' });
  await pipeline(content, hashing, entry);
  entries.push({ path: name, size, sha256: hashing.digest() });
}

/** Streams one snapshot's archive, encrypted, into `part`; returns its manifest. */
async function writeArchive(
  source: BackupSource,
  snapshot: Snapshot,
  recipient: string,
  part: string,
): Promise<{ manifest: Manifest; bytes: number; sha256: string }> {
  const createdAt = new Date();
  const handle = await fsp.open(part, 'wx', 0o600);
  const snapshotDb = openSnapshot(snapshot.file);
  const pack = tar.pack();
  const fileHash = new HashingStream();
  // flush: fsync before close, so the rename that publishes it never publishes unsynced bytes.
  const out = handle.createWriteStream({ flush: true });
  const writing = pipeline(await encryptTo(recipient, pack), fileHash, out);
  writing.catch((error: unknown) => pack.destroy(error as Error));
  try {
    const entries: ManifestEntry[] = [];
    const facts: SnapshotFacts = await snapshotFacts(snapshotDb);
    const dbSize = fs.statSync(snapshot.file).size;
    await addEntry(
      pack,
      entries,
      DATABASE_ENTRY,
      dbSize,
      fs.createReadStream(snapshot.file),
      createdAt,
    );
    let masterKeyId: string | null = null;
    if (snapshot.keyring) {
      masterKeyId =
        (JSON.parse(snapshot.keyring.toString('utf8')) as { masterKeyId?: string }).masterKeyId ??
        null;
      const keyring = snapshot.keyring;
      await addEntry(pack, entries, KEYRING_ENTRY, keyring.length, streamOf(keyring), createdAt);
    }
    const blobDir = path.join(source.dataDir, 'blobs');
    let blobs = 0;
    for (let after = ''; ;) {
      const keys = await storageKeysAfter(snapshotDb, after, PAGE);
      if (keys.length === 0) break;
      for (const key of keys) {
        let blob: fsp.FileHandle;
        try {
          blob = await fsp.open(blobFilePath(blobDir, key), 'r');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingBlobError(key);
          throw error;
        }
        // Opened, the bytes stay readable even if an erasure unlinks the file now.
        const { size } = await blob.stat();
        await addEntry(pack, entries, blobEntry(key), size, blob.createReadStream(), createdAt);
        blobs += 1;
      }
      after = keys.at(-1)!;
    }
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      cloisonVersion: source.cloisonVersion,
      createdAt: createdAt.toISOString(),
      lastMigration: facts.lastMigration,
      keyManager: source.keyManager,
      masterKeyId,
      tenantCodes: facts.tenantCodes,
      counts: { ...facts.counts, blobs },
      entries,
    };
    const text = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
    pack.entry({ name: MANIFEST_ENTRY, size: text.length, mode: 0o600, mtime: createdAt }, text);
    const seal = await source.seal(text);
    pack.entry({ name: SEAL_ENTRY, size: seal.length, mode: 0o600, mtime: createdAt }, seal);
    pack.finalize();
    await writing;
    return { manifest, bytes: fileHash.size, sha256: fileHash.digest() };
  } catch (error) {
    pack.destroy(error as Error);
    await writing.catch(() => undefined);
    throw error;
  } finally {
    await snapshotDb.destroy();
  }
}

function streamOf(bytes: Buffer): Readable {
  return Readable.from([bytes]);
}

/** fsync a directory so a rename inside it survives a power cut. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Takes an encrypted backup into `file`, atomically: it is written as `file.part` (0600),
 * fsync'd, then renamed; a failure leaves neither. A blob deleted between the snapshot and its
 * copy (an erasure) means the snapshot is stale: the whole backup is taken again.
 */
export async function createBackup(
  source: BackupSource,
  recipient: string,
  file: string,
): Promise<BackupResult> {
  if (fs.existsSync(file)) throw new BackupError(`${file} already exists: choose another name`);
  if (!fs.statSync(path.dirname(file), { throwIfNoEntry: false })?.isDirectory()) {
    throw new BackupError(`${path.dirname(file)} is not a directory: nothing written`);
  }
  const part = `${file}.part`;
  for (let attempt = 1; ; attempt += 1) {
    const snapshot = await takeSnapshot(source);
    const forgetPart = removeOnExit(part);
    try {
      const written = await writeArchive(source, snapshot, recipient, part);
      // An erasure's ratchet while the blobs were copied would leave a backup no key opens.
      const keyringNow = readKeyring(source.keyringFile);
      if (
        snapshot.keyring !== null &&
        (keyringNow === null || !keyringNow.equals(snapshot.keyring))
      )
        throw new StaleSnapshotError('keyring');
      fs.renameSync(part, file);
      await syncDir(path.dirname(file));
      return { file, ...written, attempts: attempt };
    } catch (error) {
      fs.rmSync(part, { force: true });
      if (!(error instanceof MissingBlobError) && !(error instanceof StaleSnapshotError))
        throw error;
      if (attempt >= ATTEMPTS) {
        throw new BackupError(
          `documents or keys kept changing while they were copied (${attempt} snapshots): try again`,
        );
      }
    } finally {
      forgetPart();
      fs.rmSync(snapshot.file, { force: true });
      snapshot.forget();
    }
  }
}
