import fs from 'node:fs';
import type { Config } from '../config.js';
import { databaseExists, openDatabase, sqlitePath } from '../db/database.js';
import { NewerDatabaseError, assertNotNewer } from '../db/migrate.js';
import { projectFile } from '../project-files.js';
import {
  BackupError,
  describeFailure,
  parseRecipient,
  readIdentityFile,
} from '../modules/backup/archive.js';
import type { Manifest } from '../modules/backup/manifest.js';
import { assertRestorable, describeKeyAccess, restoreBackup } from '../modules/backup/restore.js';
import { createBackup } from '../modules/backup/snapshot.js';
import { verifyBackup } from '../modules/backup/verify.js';
import { sealManifest } from '../modules/backup/manifest-seal.js';
import { PLATFORM_KEY_ID, type KeyManager } from '../crypto/key-manager.js';
import { demoMasterKeyPath, openKeyManager } from '../crypto/open-key-manager.js';

export const BACKUP_USAGE = `  backup --out FILE [--recipient age1…]
                   encrypted backup of the database (a consistent snapshot), the documents'
                   stored blobs and the keyring, to an age recipient (or CLOISON_BACKUP_RECIPIENT);
                   runs beside a live server; never includes the master key
  backup verify FILE --identity KEYFILE
                   decrypt, check every entry against the manifest and the database's integrity;
                   exit 1 with the reason when it is not intact
  restore --from FILE --identity KEYFILE
                   restore into CLOISON_DATA_DIR, which must be empty or absent; nothing is put
                   in place unless the whole backup checks out
`;

export interface BackupArgs {
  command: 'backup' | 'restore';
  /** `verify`, or nothing for taking a backup. */
  sub: string | undefined;
  /** The backup to verify (positional). */
  file: string | undefined;
  out: string | undefined;
  recipient: string | undefined;
  identity: string | undefined;
  from: string | undefined;
}

/** Exit codes of sysexits.h, as the rest of the CLI uses them. */
const USAGE_ERROR = 64;

function usage(message: string): number {
  console.error(`${message} (cloison help lists the options)`);
  return USAGE_ERROR;
}

function cloisonVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(projectFile('package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function describeCounts(m: Manifest): string {
  const c = m.counts;
  return (
    `${c.tenants} tenants (${m.tenantCodes.join(', ')}), ${c.persons} persons, ${c.cases} cases, ` +
    `${c.documents} documents, ${c.blobs} blobs`
  );
}

/**
 * The configured key manager, on another keyring file when given (restore opens the one it
 * staged). A demo data directory keeps its master key inside: accepted only where it is.
 */
function openKeys(config: Config, keyringFile?: string): Promise<KeyManager> {
  const demo = fs.existsSync(demoMasterKeyPath(config.dataDir));
  return openKeyManager(keyringFile ? { ...config, keyringFile } : config, {
    demo,
    warn: () => undefined,
  });
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

async function takeBackup(config: Config, args: BackupArgs): Promise<number> {
  if (!args.out) return usage('backup needs --out FILE');
  const raw = args.recipient ?? config.backupRecipient;
  if (!raw) return usage('backup needs --recipient age1… (or CLOISON_BACKUP_RECIPIENT)');
  let recipient: string;
  try {
    recipient = parseRecipient(raw);
  } catch (error) {
    return usage(describeFailure(error));
  }
  if (!databaseExists(config)) {
    console.error(`no database at ${sqlitePath(config)}: nothing to back up`);
    return 1;
  }
  const started = performance.now();
  // No data directory lock: the server keeps serving; the snapshot is one read transaction.
  const db = openDatabase(config);
  // The seal needs the platform key: made now if this platform has none yet, so that the keyring
  // does not change under the snapshot.
  const keys = await openKeys(config);
  try {
    await assertNotNewer(db);
    await keys.ensureTenantKey(PLATFORM_KEY_ID);
    const result = await createBackup(
      {
        db,
        dataDir: config.dataDir,
        keyManager: config.keyManager,
        keyringFile: config.keyManager === 'local' ? config.keyringFile : null,
        cloisonVersion: cloisonVersion(),
        seal: (manifest) => sealManifest(keys, manifest),
      },
      recipient,
      args.out,
    );
    const retried = result.attempts > 1 ? `, ${result.attempts} snapshots` : '';
    console.log(
      `backup written: ${result.file}, ${result.bytes} bytes, ${describeCounts(result.manifest)}, ` +
        `in ${seconds(started)}${retried}; sha256 ${result.sha256}`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(`backup failed: ${error.message}`);
    return 1;
  } finally {
    await keys.close();
    await db.destroy();
  }
}

function openBackup(file: string): fs.ReadStream {
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    throw new BackupError(`cannot read the backup ${file}`);
  }
  return fs.createReadStream(file);
}

async function verify(args: BackupArgs): Promise<number> {
  if (!args.file) return usage('backup verify needs the backup FILE');
  if (!args.identity) return usage('backup verify needs --identity KEYFILE');
  const started = performance.now();
  try {
    const identities = readIdentityFile(args.identity);
    const result = await verifyBackup(openBackup(args.file), identities);
    const m = result.manifest;
    console.log(
      `backup intact: ${args.file}, made by Cloison ${m.cloisonVersion} at ${m.createdAt}, ` +
        `migration ${m.lastMigration ?? 'none'}, ${m.keyManager} key manager, ` +
        `${result.entries} entries (${result.bytes} bytes) match the manifest, database ` +
        `integrity ok, sealed (restore opens the seal with the key manager); ${describeCounts(m)}; in ${seconds(started)}`,
    );
    return 0;
  } catch (error) {
    console.error(`backup NOT intact: ${describeFailure(error)}`);
    return 1;
  }
}

async function restore(config: Config, args: BackupArgs): Promise<number> {
  if (!args.from) return usage('restore needs --from FILE');
  if (!args.identity) return usage('restore needs --identity KEYFILE');
  const target = {
    dataDir: config.dataDir,
    databaseFile: sqlitePath(config),
    keyringFile: config.keyringFile,
  };
  const started = performance.now();
  let manifest: Manifest;
  try {
    assertRestorable(target);
    const identities = readIdentityFile(args.identity);
    manifest = await restoreBackup(openBackup(args.from), identities, target, (keyring) =>
      openKeys(config, keyring ?? undefined),
    );
  } catch (error) {
    // A database of a newer version keeps its own exit code (65), as everywhere else.
    if (error instanceof NewerDatabaseError) throw error;
    console.error(`restore refused, nothing restored: ${describeFailure(error)}`);
    return 1;
  }
  console.log(
    `restored ${args.from} into ${config.dataDir}: ${describeCounts(manifest)}; made by Cloison ` +
      `${manifest.cloisonVersion} at ${manifest.createdAt}, migration ` +
      `${manifest.lastMigration ?? 'none'}; in ${seconds(started)}`,
  );
  const keys = await describeKeyAccess(config, manifest);
  console.log(`keys: ${keys.line}`);
  return 0;
}

/** Runs `cloison backup`, `backup verify` or `restore`; returns the exit code. */
export async function runBackupCommand(config: Config, args: BackupArgs): Promise<number> {
  if (args.command === 'restore') return restore(config, args);
  if (args.sub === 'verify') return verify(args);
  if (args.sub !== undefined) return usage(`unknown backup command "${args.sub}"`);
  return takeBackup(config, args);
}
