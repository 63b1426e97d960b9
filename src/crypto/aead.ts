import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TamperedError } from './key-manager.js';

/**
 * One sealed value: [format 1][key version, u32 BE][nonce 12][ciphertext][tag 16].
 * The header is authenticated with the caller's associated data, so neither the key version
 * nor the binding (tenant, person, field, row) can be changed without failing to open.
 */
const FORMAT = 1;
const HEADER = 1 + 4 + 12;
const TAG = 16;

/** Associated data from its parts, unambiguous whatever the parts contain. */
export function aad(...parts: Array<string | number>): Buffer {
  return Buffer.from(JSON.stringify(['cloison/v1', ...parts.map(String)]), 'utf8');
}

/** Encrypts with AES-256-GCM under a fresh random nonce. */
export function seal(
  key: Buffer,
  keyVersion: number,
  plaintext: Buffer,
  associated: Buffer,
): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt8(FORMAT, 0);
  header.writeUInt32BE(keyVersion, 1);
  randomBytes(12).copy(header, 5);
  const cipher = createCipheriv('aes-256-gcm', key, header.subarray(5, HEADER));
  cipher.setAAD(Buffer.concat([associated, header]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/** The key version a sealed value was made under (not authenticated until it is opened). */
export function sealedKeyVersion(sealed: Buffer): number {
  if (sealed.length < HEADER + TAG || sealed.readUInt8(0) !== FORMAT) {
    throw new TamperedError('sealed value');
  }
  return sealed.readUInt32BE(1);
}

/** Decrypts and authenticates; throws TamperedError, never returns unauthenticated bytes. */
export function open(
  key: Buffer,
  sealed: Buffer,
  associated: Buffer,
  what = 'sealed value',
): Buffer {
  if (sealed.length < HEADER + TAG || sealed.readUInt8(0) !== FORMAT) throw new TamperedError(what);
  const header = sealed.subarray(0, HEADER);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(5, HEADER));
    decipher.setAAD(Buffer.concat([associated, header]));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    return Buffer.concat([
      decipher.update(sealed.subarray(HEADER, sealed.length - TAG)),
      decipher.final(),
    ]);
  } catch {
    throw new TamperedError(what);
  }
}
