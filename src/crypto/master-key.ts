import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../storage/atomic-file.js';

/** A master key protecting the local keyring. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

/**
 * Where the master key comes from. A key file can be ratcheted: when a tenant key version is
 * retired the keyring is re-sealed under a fresh master key and the old one is forgotten, so a
 * copy of the keyring taken earlier can no longer be opened. An inline key cannot.
 */
export interface MasterKeySource {
  readonly description: string;
  /** Candidate keys, newest first (two only in the middle of a ratchet). */
  keys(): MasterKey[];
  readonly canRatchet: boolean;
  /** Writes the given keys, newest first, atomically. */
  write(keys: MasterKey[]): void;
}

/** A short public identifier of a master key: which key a keyring is sealed under. */
function masterKeyId(key: Buffer): string {
  const digest = createHash('sha256').update('cloison/master-key-id').update(key).digest('hex');
  return `mk-${digest.slice(0, 16)}`;
}

export function newMasterKey(): MasterKey {
  const key = randomBytes(32);
  return { id: masterKeyId(key), key };
}

export function parseMasterKey(text: string, where: string): MasterKey {
  const trimmed = text.trim();
  const hex = /^[0-9a-f]{64}$/i.test(trimmed);
  const key = hex ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32 || (!hex && key.toString('base64') !== trimmed)) {
    throw new MasterKeyError(`${where} must hold 32 random bytes, in base64 or hex`);
  }
  return { id: masterKeyId(key), key };
}

/** CLOISON_MASTER_KEY: fixed for the life of the process; cannot be ratcheted. */
export function inlineMasterKey(value: string): MasterKeySource {
  const key = parseMasterKey(value, 'CLOISON_MASTER_KEY');
  return {
    description: 'CLOISON_MASTER_KEY',
    keys: () => [key],
    canRatchet: false,
    write: () => {
      throw new MasterKeyError('an inline master key cannot be replaced by Cloison');
    },
  };
}

/**
 * A master key file: one key per line, newest first. Refused if others can read it: a key
 * readable by any local account protects nothing.
 */
export function masterKeyFile(file: string): MasterKeySource {
  const read = (): MasterKey[] => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new MasterKeyError(`master key file ${file} does not exist`);
    }
    if ((stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8);
      throw new MasterKeyError(
        `master key file ${file} is readable by others (mode ${mode}): chmod 600 it`,
      );
    }
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    if (lines.length === 0) throw new MasterKeyError(`master key file ${file} is empty`);
    return lines.map((l) => parseMasterKey(l, `master key file ${file}`));
  };
  read();
  return {
    description: file,
    keys: read,
    canRatchet: true,
    write: (keys) => writeKeyFile(file, keys),
  };
}

function writeKeyFile(file: string, keys: MasterKey[]): void {
  writeFileAtomic(file, keys.map((k) => `${k.key.toString('base64')}\n`).join(''));
}

/** Creates a new master key file (mode 0600); refuses to overwrite one. */
export function createMasterKeyFile(file: string): MasterKeySource {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = newMasterKey();
  fs.writeFileSync(file, `${key.key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return masterKeyFile(file);
}
