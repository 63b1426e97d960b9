import { createHash } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { Problem } from '../../errors.js';
import {
  deleteThrottle,
  findThrottle,
  insertThrottle,
  updateThrottle,
} from './login-throttle.repository.js';

/** Failures allowed per account within the window before it is locked for LOCK_MS. */
export const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;

/**
 * The subject of throttling is the e-mail typed, hashed: unknown addresses are throttled exactly
 * like known ones, so the lock says nothing about who has an account, and the table holds no
 * address in clear.
 */
function subjectOf(key: string): string {
  return createHash('sha256').update(`login:${key}`).digest('hex');
}

export function tooManyAttempts(retryAfterSeconds: number): Problem {
  return new Problem(
    429,
    'too-many-attempts',
    'Trop de tentatives',
    `Trop d’échecs pour ce compte. Réessayez dans ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    { retryAfter: retryAfterSeconds },
  );
}

/** Locks double each time, up to a day: about 10 guesses a day once an attacker persists. */
const MAX_LOCK_MS = 24 * 3600_000;

/**
 * Takes one attempt for the subject, before the credential is checked, or throws 429 while it is
 * locked. Counting the attempt first, in one transaction, is what makes the limit hold against
 * requests sent in parallel: none of them can pass a check that the others have not yet
 * counted. A success then clears the count (clearFailures); a failure leaves it counted.
 */
export async function takeAttempt(deps: AppDeps, key: string): Promise<void> {
  const subject = subjectOf(key);
  const now = deps.clock.now();
  const lockedFor = await deps.db.transaction().execute(async (trx) => {
    const row = await findThrottle(trx, subject);
    if (row?.locked_until && Date.parse(row.locked_until) > now.getTime()) {
      return Math.ceil((Date.parse(row.locked_until) - now.getTime()) / 1000);
    }
    const fresh = !row || now.getTime() - Date.parse(row.window_started_at) > WINDOW_MS;
    const failures = fresh ? 1 : row.failures + 1;
    const lockCount = row?.lock_count ?? 0;
    const locks = failures >= MAX_FAILURES;
    const values = {
      // A lock starts a new window once it ends.
      failures: locks ? 0 : failures,
      window_started_at: fresh || locks ? now.toISOString() : row.window_started_at,
      locked_until: locks
        ? new Date(now.getTime() + Math.min(LOCK_MS * 2 ** lockCount, MAX_LOCK_MS)).toISOString()
        : null,
      lock_count: locks ? lockCount + 1 : lockCount,
    };
    if (row) {
      await updateThrottle(trx, subject, values);
    } else {
      await insertThrottle(trx, subject, values);
    }
    return 0;
  });
  if (lockedFor > 0) throw tooManyAttempts(lockedFor);
}

/** A success clears the subject's attempts and its run of locks. */
export async function clearFailures(deps: AppDeps, key: string): Promise<void> {
  await deleteThrottle(deps.db, subjectOf(key));
}
