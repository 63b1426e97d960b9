import { randomBytes } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { hashToken } from '../../crypto/token-hash.js';
import type { BrowserCookies } from '../request-context.js';
import { isTrustedDevice, trustDevice } from './trusted-device.repository.js';

/** How long a browser stays known to an account after its last completed sign-in. */
export const DEVICE_TRUST_DAYS = 180;

/** Tokens are 43 base64url characters; anything else is not one of ours. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The browser's device token, if it sent one (longer than any of ours: none). */
export function deviceTokenOf(cookies: Pick<BrowserCookies, 'get'>): string | null {
  const value = cookies.get('device');
  return value === undefined || value.length > 128 ? null : value;
}

/**
 * The throttling subject of a sign-in: the browser itself when it has signed in to this account
 * before (its own count, so a stranger's failures never lock its owner out), otherwise the
 * e-mail typed, shared by every unknown client, known account or not (OWASP's device cookies;
 * NIST SP 800-63B-4 §5.2.2).
 */
export async function signInSubject(
  deps: AppDeps,
  deviceToken: string | null,
  accountId: string | null,
  typedEmail: string,
): Promise<{ subject: string; trusted: boolean }> {
  if (deviceToken !== null && TOKEN_PATTERN.test(deviceToken)) {
    const tokenHash = hashToken(deviceToken);
    // Asked whether or not the address has an account: the same work either way.
    const trusted = await isTrustedDevice(
      deps.db,
      tokenHash,
      accountId ?? '',
      deps.clock.now().toISOString(),
    );
    if (trusted && accountId !== null)
      return { subject: `device:${tokenHash}:${accountId}`, trusted: true };
  }
  return { subject: typedEmail, trusted: false };
}

/**
 * A sign-in completed from this browser: it is known to the account from now on. The token is
 * new each time, and what the previous one was trusted for moves to it, so a token planted in
 * the browser, or seen once, is worth nothing after the owner signs in.
 */
async function rememberDevice(
  deps: AppDeps,
  previousToken: string | null,
  accountId: string,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await trustDevice(
    deps.db,
    {
      previousHash:
        previousToken !== null && TOKEN_PATTERN.test(previousToken)
          ? hashToken(previousToken)
          : null,
      newHash: hashToken(token),
    },
    accountId,
    {
      now: now.toISOString(),
      expiresAt: new Date(now.getTime() + DEVICE_TRUST_DAYS * 86_400_000).toISOString(),
    },
  );
  return token;
}

/** This browser has just proven every factor of the account: it is known to it from now on. */
export async function rememberThisBrowser(
  deps: AppDeps,
  cookies: BrowserCookies,
  accountId: string,
): Promise<void> {
  const token = await rememberDevice(deps, deviceTokenOf(cookies), accountId);
  cookies.set('device', token, DEVICE_TRUST_DAYS * 86_400);
}
