import { Encrypter } from 'age-encryption';
import { parseRecipient } from '../backup/archive.js';

const HYBRID = /^age1pq1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/;

/**
 * Whether the text is an age public key an export can be encrypted to: X25519 (`age1…`, checked
 * as backups check theirs) or hybrid post-quantum (`age1pq1…`), checksum included. The
 * library's own message, which quotes the key, never leaves.
 */
export function isAgeRecipient(value: string): boolean {
  try {
    if (!HYBRID.test(value)) return parseRecipient(value) === value;
    new Encrypter().addRecipient(value);
    return true;
  } catch {
    return false;
  }
}
