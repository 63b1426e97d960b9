import path from 'node:path';
import fs from 'node:fs';
import type { Config } from '../config.js';
import type { KeyManager } from './key-manager.js';
import { LocalKeyManager } from './local-key-manager.js';
import {
  createMasterKeyFile,
  inlineMasterKey,
  MasterKeyError,
  masterKeyFile,
  type MasterKeySource,
} from './master-key.js';

export interface KeyManagerOptions {
  /** Demo mode may create a master key file in the data directory; nothing else may. */
  readonly demo: boolean;
  readonly warn: (message: string) => void;
}

/** Where demo mode keeps the master key it generates (never used outside demo mode). */
export function demoMasterKeyPath(dataDir: string): string {
  return path.join(dataDir, 'demo-master.key');
}

function masterKeySource(config: Config, options: KeyManagerOptions): MasterKeySource {
  const source = config.masterKey;
  if (source?.kind === 'inline') return inlineMasterKey(source.value);
  if (source?.kind === 'file') return masterKeyFile(source.path);
  if (!options.demo) {
    throw new MasterKeyError(
      'no master key: set CLOISON_MASTER_KEY_FILE (a file outside the data directory, mode 600) ' +
        'or CLOISON_MASTER_KEY; `cloison keys init-master --out <file>` creates one',
    );
  }
  const file = demoMasterKeyPath(config.dataDir);
  options.warn(
    `demo mode: master key kept in ${file}, beside the data it protects; never do this with real data`,
  );
  return fs.existsSync(file) ? masterKeyFile(file) : createMasterKeyFile(file);
}

/** Opens the configured key manager. */
export async function openKeyManager(
  config: Config,
  options: KeyManagerOptions,
): Promise<KeyManager> {
  if (config.keyManager === 'pkcs11') {
    // Loaded only when chosen: the native PKCS#11 binding is not needed otherwise.
    const { openPkcs11KeyManagerFromEnv } = await import('./pkcs11-key-manager.js');
    return openPkcs11KeyManagerFromEnv(process.env);
  }
  return LocalKeyManager.open(config.keyringFile, masterKeySource(config, options));
}
