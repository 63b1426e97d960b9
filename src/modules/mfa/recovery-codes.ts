import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../db/database.js';
import {
  deleteRecoveryCodesOf,
  insertRecoveryCodes,
  markRecoveryCodeUsed,
} from './recovery-code.repository.js';

/** Crockford base32: no I, L, O, U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_COUNT = 10;

/** 16 characters = 80 random bits: a plain SHA-256 is enough, no stretching needed. */
function newCode(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out.match(/.{4}/g)!.join('-');
}

/** Upper case, separators and spaces ignored, the look-alike letters mapped as Crockford says. */
export function normaliseRecoveryCode(typed: string): string {
  const clean = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return clean.length === 16 ? clean.match(/.{4}/g)!.join('-') : clean;
}

/** The stored form of a code: SHA-256 of its normalised text. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(`recovery:${normaliseRecoveryCode(code)}`)
    .digest('hex');
}

/** Replaces every recovery code of the account; the new ones are shown once and never stored. */
export async function replaceRecoveryCodes(
  db: DbOrTx,
  accountId: string,
  now: string,
): Promise<string[]> {
  await deleteRecoveryCodesOf(db, accountId);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await insertRecoveryCodes(db, accountId, codes.map(hashRecoveryCode), now);
  return codes;
}

/** Spends a code: true once per code, in one conditional update (no double spend). */
export async function spendRecoveryCode(
  db: DbOrTx,
  accountId: string,
  typed: string,
  now: string,
): Promise<boolean> {
  return markRecoveryCodeUsed(db, accountId, hashRecoveryCode(typed), now);
}
