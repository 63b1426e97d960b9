import { randomInt } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so a code read off paper is typed back without doubt.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 12;

/** A fresh invitation code, 60 random bits, shown as XXXX-XXXX-XXXX. */
export function newInvitationCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/**
 * The code as typed, in the one form it is indexed under: case, spaces and dashes ignored, and
 * the letters a reader confuses with digits read as those digits. Null when it cannot be one.
 */
export function normaliseInvitationCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== LENGTH) return null;
  for (const ch of code) if (!ALPHABET.includes(ch)) return null;
  return code;
}
