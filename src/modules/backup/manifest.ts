import type { SnapshotFacts } from '../../db/snapshot.js';

/**
 * The manifest of a backup: the last entry of its archive, listing every other entry with its
 * size and SHA-256. Only public facts: versions, counts, tenant codes, the id of the master key
 * the keyring is sealed under (a hash, not the key).
 */

/** The archive format this version writes and reads. */
export const BACKUP_FORMAT = 1;

export const DATABASE_ENTRY = 'cloison.sqlite';
export const KEYRING_ENTRY = 'keyring.json';
export const MANIFEST_ENTRY = 'MANIFEST.json';

export interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  cloisonVersion: string;
  createdAt: string;
  lastMigration: string | null;
  keyManager: 'local' | 'pkcs11';
  /** The master key the keyring is sealed under (null without a keyring). */
  masterKeyId: string | null;
  tenantCodes: string[];
  counts: SnapshotFacts['counts'] & { blobs: number };
  entries: ManifestEntry[];
}

/** A manifest that does not describe the archive it closes. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

const BLOB_ENTRY = /^blobs\/([0-9a-f]{2})\/([0-9a-f]{32})$/;

/** The archive path of a blob, as the blob store shards it (blobs/<2 hex>/<key>). */
export function blobEntry(key: string): string {
  return `blobs/${key.slice(0, 2)}/${key}`;
}

/**
 * Whether a path may appear in a backup. Anything else (another name, `..`, an absolute path)
 * is refused before a byte of it is written anywhere.
 */
export function isArchivePath(name: string): boolean {
  if (name === DATABASE_ENTRY || name === KEYRING_ENTRY) return true;
  const blob = BLOB_ENTRY.exec(name);
  return blob !== null && blob[2]!.startsWith(blob[1]!);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses MANIFEST.json; throws ManifestError naming the first thing wrong with it. */
export function parseManifest(text: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ManifestError('the manifest is not valid JSON');
  }
  if (!isRecord(value)) throw new ManifestError('the manifest is not an object');
  if (value.format !== BACKUP_FORMAT) {
    throw new ManifestError(`unknown backup format ${String(value.format)}`);
  }
  if (!Array.isArray(value.entries)) throw new ManifestError('the manifest lists no entries');
  for (const e of value.entries) {
    if (
      !isRecord(e) ||
      typeof e.path !== 'string' ||
      !Number.isSafeInteger(e.size) ||
      typeof e.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(e.sha256)
    ) {
      throw new ManifestError('the manifest has a malformed entry');
    }
  }
  if (value.keyManager !== 'local' && value.keyManager !== 'pkcs11') {
    throw new ManifestError('the manifest names no known key manager');
  }
  return value as unknown as Manifest;
}

/**
 * Checks that the manifest lists exactly the entries read, in the same order, with the same
 * sizes and hashes; throws ManifestError with the first difference.
 */
export function checkEntries(manifest: Manifest, read: readonly ManifestEntry[]): void {
  if (manifest.entries.length !== read.length) {
    throw new ManifestError(
      `the manifest lists ${manifest.entries.length} entries, the archive holds ${read.length}`,
    );
  }
  manifest.entries.forEach((listed, i) => {
    const found = read[i]!;
    if (listed.path !== found.path) {
      throw new ManifestError(`entry ${i + 1} is ${found.path}, the manifest lists ${listed.path}`);
    }
    if (listed.size !== found.size || listed.sha256 !== found.sha256) {
      throw new ManifestError(`${found.path} does not match its size and SHA-256 in the manifest`);
    }
  });
  if (!read.some((e) => e.path === DATABASE_ENTRY)) {
    throw new ManifestError(`the archive holds no ${DATABASE_ENTRY}`);
  }
  const blobs = read.filter((e) => e.path.startsWith('blobs/')).length;
  if (manifest.counts?.blobs !== blobs) {
    throw new ManifestError(
      `the manifest counts ${String(manifest.counts?.blobs)} blobs, not ${blobs}`,
    );
  }
}
