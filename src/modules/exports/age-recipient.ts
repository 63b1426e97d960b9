import { Encrypter } from 'age-encryption';

const X25519 = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;
const HYBRID = /^age1pq1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/;

/**
 * Whether the text is an age public key the output can be encrypted to: X25519 (`age1…`, as
 * age-keygen prints it) or hybrid post-quantum (`age1pq1…`), with a valid checksum. The
 * library's own parser decides; its message, which quotes the key, never leaves.
 */
export function isAgeRecipient(value: string): boolean {
  if (!X25519.test(value) && !HYBRID.test(value)) return false;
  try {
    new Encrypter().addRecipient(value);
    return true;
  } catch {
    return false;
  }
}
