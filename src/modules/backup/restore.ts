import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../../config.js';
import { assertNotNewer } from '../../db/migrate.js';
import { openSnapshot } from '../../db/snapshot.js';
import { KeyUnavailableError, type KeyManager } from '../../crypto/key-manager.js';
import { LocalKeyManager } from '../../crypto/local-key-manager.js';
import {
  MasterKeyError,
  inlineMasterKey,
  masterKeyFile,
  type MasterKeySource,
} from '../../crypto/master-key.js';
import { removeOnExit } from '../../storage/exit-cleanup.js';
import { BackupError, readBackup, type EntrySink } from './archive.js';
import { DATABASE_ENTRY, KEYRING_ENTRY, ManifestError, type Manifest } from './manifest.js';
import { checkManifestSeal } from './manifest-seal.js';
import { syncDir } from './snapshot.js';
import { checkDatabaseFile } from './verify.js';

/**
 * `cloison restore`: a backup into an empty (or absent) data directory. Everything is extracted
 * into a staging directory beside the target (same filesystem, so publishing is renames), and
 * nothing is published before every hash matches the manifest (the manifest comes last) and the
 * database passes its checks. Any failure leaves the target as it was and no staging directory.
 */

/** Where a restore writes, from the configuration. */
export interface RestoreTarget {
  dataDir: string;
  databaseFile: string;
  keyringFile: string;
}

function isEmptyOrAbsent(dir: string): boolean {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) return true;
  return stat.isDirectory() && fs.readdirSync(dir).length === 0;
}

/** Refuses a target that holds anything; throws BackupError before anything is touched. */
export function assertRestorable(target: RestoreTarget): void {
  if (!isEmptyOrAbsent(target.dataDir)) {
    throw new BackupError(
      `${target.dataDir} is not empty: restore only into an empty or absent data directory`,
    );
  }
  if (!fs.existsSync(path.dirname(target.dataDir))) {
    throw new BackupError(`${path.dirname(target.dataDir)} does not exist: create it first`);
  }
  for (const file of [target.databaseFile, target.keyringFile]) {
    if (fs.existsSync(file)) throw new BackupError(`${file} already exists: nothing restored`);
  }
}

/** Moves a file or directory, by rename when it can (same filesystem), by copy otherwise. */
function move(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    fs.cpSync(from, to, { recursive: true, errorOnExist: true, force: false });
    fs.rmSync(from, { recursive: true, force: true });
  }
}

async function syncTree(dir: string): Promise<void> {
  for (const name of fs.readdirSync(dir)) {
    const sub = path.join(dir, name);
    if (fs.statSync(sub).isDirectory()) await syncTree(sub);
  }
  await syncDir(dir);
}

/** Moves the staged files into place; on any error, takes back what it had moved. */
async function publish(staging: string, target: RestoreTarget): Promise<void> {
  // Checked again: something may have appeared while the backup was read.
  assertRestorable(target);
  const created = !fs.existsSync(target.dataDir);
  const placed: string[] = [];
  try {
    if (created) fs.mkdirSync(target.dataDir, { mode: 0o700 });
    const blobs = path.join(staging, 'blobs');
    if (fs.existsSync(blobs)) {
      await syncTree(blobs);
      move(blobs, path.join(target.dataDir, 'blobs'));
      placed.push(path.join(target.dataDir, 'blobs'));
    }
    const keyring = path.join(staging, KEYRING_ENTRY);
    if (fs.existsSync(keyring)) {
      fs.mkdirSync(path.dirname(target.keyringFile), { recursive: true, mode: 0o700 });
      move(keyring, target.keyringFile);
      placed.push(target.keyringFile);
    }
    // The database last: once it is there, everything it refers to is.
    fs.mkdirSync(path.dirname(target.databaseFile), { recursive: true, mode: 0o700 });
    move(path.join(staging, DATABASE_ENTRY), target.databaseFile);
    placed.push(target.databaseFile);
    for (const dir of new Set(placed.map((p) => path.dirname(p)))) await syncDir(dir);
  } catch (error) {
    for (const p of placed.reverse()) fs.rmSync(p, { recursive: true, force: true });
    if (created) fs.rmSync(target.dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Before anything is put in place, the backup must be this platform's: its manifest sealed by
 * the platform key, opened through the configured key manager and the keyring the backup holds.
 * A keyring sealed under a master key this platform no longer holds (an erasure since the backup
 * re-sealed it) can neither be authenticated nor read: refused too.
 */
async function checkSealWith(
  openKeys: (stagedKeyring: string | null) => Promise<KeyManager>,
  staging: string,
  manifest: Manifest,
  manifestBytes: Buffer,
  seal: Buffer | null,
): Promise<void> {
  const keyring = path.join(staging, KEYRING_ENTRY);
  if (manifest.keyManager === 'local' && !fs.existsSync(keyring))
    throw new ManifestError('a backup of a local keyring must hold it, and this one does not');
  let keys: KeyManager;
  try {
    keys = await openKeys(manifest.keyManager === 'local' ? keyring : null);
  } catch (error) {
    if (!(error instanceof KeyUnavailableError) && !(error instanceof MasterKeyError)) throw error;
    throw new ManifestError(
      `cannot authenticate this backup with the configured keys (${error.message}); after an ` +
        'erasure, a backup taken before it stays unreadable: that is the erasure working',
    );
  }
  try {
    await checkManifestSeal(keys, manifestBytes, seal);
  } finally {
    await keys.close();
  }
}

/** Restores a backup into the target; returns its manifest. */
export async function restoreBackup(
  source: Readable,
  identities: readonly string[],
  target: RestoreTarget,
  /** The configured key manager, on the staged keyring (null: an HSM's backup holds none). */
  openKeys: (stagedKeyring: string | null) => Promise<KeyManager>,
): Promise<Manifest> {
  assertRestorable(target);
  const parent = path.dirname(target.dataDir);
  const staging = path.join(
    parent,
    `.${path.basename(target.dataDir)}.restore-${randomBytes(6).toString('hex')}`,
  );
  const forget = removeOnExit(staging);
  fs.mkdirSync(staging, { mode: 0o700 });
  try {
    const sink: EntrySink = async (entry) => {
      const file = path.join(staging, entry.path);
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      return fs.createWriteStream(file, { flags: 'wx', mode: 0o600, flush: true });
    };
    const { manifest, manifestBytes, seal } = await readBackup(source, identities, sink);
    await checkSealWith(openKeys, staging, manifest, manifestBytes, seal);
    const dbFile = path.join(staging, DATABASE_ENTRY);
    await checkDatabaseFile(dbFile);
    const db = openSnapshot(dbFile);
    try {
      await assertNotNewer(db);
    } finally {
      await db.destroy();
    }
    await publish(staging, target);
    return manifest;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    forget();
  }
}

/** Whether the configured key manager can open a restored keyring; one line, never fails. */
export async function describeKeyAccess(
  config: Pick<Config, 'keyManager' | 'masterKey' | 'keyringFile'>,
  manifest: Manifest,
): Promise<{ readable: boolean; line: string }> {
  if (manifest.keyManager === 'pkcs11') {
    return {
      readable: config.keyManager === 'pkcs11',
      line:
        'tenant keys live in the HSM and are in no backup: this copy reads only with the token ' +
        'that held them when it was taken (not checked here)',
    };
  }
  const sealedUnder = manifest.masterKeyId ?? 'an unknown master key';
  const cannot = `this copy cannot be decrypted with this master key: its keyring is sealed under ${sealedUnder}`;
  if (config.keyManager !== 'local' || config.masterKey === null) {
    return {
      readable: false,
      line: `${cannot}, and no master key is configured (CLOISON_MASTER_KEY_FILE or CLOISON_MASTER_KEY)`,
    };
  }
  if (!fs.existsSync(config.keyringFile)) {
    // Opening a missing keyring would create an empty one: say so instead.
    return {
      readable: false,
      line: `${cannot}, and no keyring was restored to ${config.keyringFile}`,
    };
  }
  let source: MasterKeySource;
  try {
    source =
      config.masterKey.kind === 'file'
        ? masterKeyFile(config.masterKey.path)
        : inlineMasterKey(config.masterKey.value);
  } catch (error) {
    if (!(error instanceof MasterKeyError)) throw error;
    return { readable: false, line: `${cannot} (${error.message})` };
  }
  try {
    const keys = LocalKeyManager.open(config.keyringFile, source);
    await keys.close();
    return {
      readable: true,
      line: `the configured master key opens the restored keyring (${sealedUnder})`,
    };
  } catch (error) {
    if (!(error instanceof KeyUnavailableError)) throw error;
    return {
      readable: false,
      line:
        `${cannot}, which ${source.description} does not hold (an erasure since the backup ` +
        'ratchets the master key: what the backup held is then unreadable unless an old copy of the master key survives)',
    };
  }
}
