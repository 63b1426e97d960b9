import { Secret, TOTP } from 'otpauth';

/** RFC 6238 with the parameters every authenticator app understands. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;

export function newTotpSecret(): Buffer {
  // 160 bits, the HMAC-SHA1 block the RFC recommends.
  return Buffer.from(new Secret({ size: 20 }).bytes);
}

function totpOf(secret: Buffer, label = 'Cloison'): TOTP {
  return new TOTP({
    issuer: 'Cloison',
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: new Secret({ buffer: new Uint8Array(secret).buffer }),
  });
}

/** The otpauth:// URI an authenticator app scans, and the secret in base32 to type by hand. */
export function totpEnrollment(secret: Buffer, label: string): { uri: string; secret: string } {
  const totp = totpOf(secret, label);
  return { uri: totp.toString(), secret: totp.secret.base32 };
}

/**
 * The time step a code belongs to, accepting one step of clock drift either way, or null when
 * the code matches none. The caller records the step so that no code is accepted twice.
 */
export function totpStep(secret: Buffer, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(secret).validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(at.getTime() / 1000 / PERIOD_SECONDS) + delta;
}
