import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The master key protecting the local keyring, and where it came from. */
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

/** A short public identifier of a master key: which key a keyring is sealed under. */
export function masterKeyId(key: Buffer): string {
  return `mk-${createHash('sha256').update('cloison/master-key-id').update(key).digest('hex').slice(0, 16)}`;
}

export function parseMasterKey(text: string, where: string): MasterKey {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (
    key.length !== 32 ||
    (!/^[0-9a-f]{64}$/i.test(trimmed) && key.toString('base64') !== trimmed)
  ) {
    throw new MasterKeyError(`${where} must hold 32 random bytes, in base64 or hex`);
  }
  return { id: masterKeyId(key), key };
}

/**
 * Reads a master key file, refusing one that others can read: a key beside the data it protects,
 * readable by any local account, protects nothing.
 */
export function readMasterKeyFile(file: string): MasterKey {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new MasterKeyError(`master key file ${file} does not exist`);
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `master key file ${file} is readable by others (mode ${(stat.mode & 0o777).toString(8)}): chmod 600 it`,
    );
  }
  return parseMasterKey(fs.readFileSync(file, 'utf8'), `master key file ${file}`);
}

/** Creates a new random master key file (mode 0600); refuses to overwrite one. */
export function createMasterKeyFile(file: string): MasterKey {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { id: masterKeyId(key), key };
}
