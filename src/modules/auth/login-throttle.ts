import { createHash } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { Problem } from '../../errors.js';

/** Failures allowed per account within the window before it is locked for LOCK_MS. */
export const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;

/**
 * The subject of throttling is the e-mail typed, hashed: unknown addresses are throttled exactly
 * like known ones, so the lock says nothing about who has an account, and the table holds no
 * address in clear.
 */
function subjectOf(email: string): string {
  return createHash('sha256').update(`login:${email}`).digest('hex');
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

/** Throws 429 while the account is locked. */
export async function assertNotLocked(deps: AppDeps, email: string): Promise<void> {
  const row = await deps.db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('subject', '=', subjectOf(email))
    .executeTakeFirst();
  const now = deps.clock.now().getTime();
  if (row?.locked_until && Date.parse(row.locked_until) > now) {
    throw tooManyAttempts(Math.ceil((Date.parse(row.locked_until) - now) / 1000));
  }
}

/** Counts a failure; locks the account once MAX_FAILURES fall within the window. */
export async function recordFailure(deps: AppDeps, email: string): Promise<void> {
  const subject = subjectOf(email);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('login_throttle')
      .selectAll()
      .where('subject', '=', subject)
      .executeTakeFirst();
    const fresh = !row || now.getTime() - Date.parse(row.window_started_at) > WINDOW_MS;
    const failures = fresh ? 1 : row.failures + 1;
    const values = {
      failures,
      window_started_at: fresh ? now.toISOString() : row.window_started_at,
      locked_until:
        failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MS).toISOString() : null,
    };
    if (row) {
      await trx.updateTable('login_throttle').set(values).where('subject', '=', subject).execute();
    } else {
      await trx
        .insertInto('login_throttle')
        .values({ subject, ...values })
        .execute();
    }
  });
}

/** A successful login clears the account's failures. */
export async function clearFailures(deps: AppDeps, email: string): Promise<void> {
  await deps.db.deleteFrom('login_throttle').where('subject', '=', subjectOf(email)).execute();
}
