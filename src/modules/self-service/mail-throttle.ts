import { createHash } from 'node:crypto';
import type { DbOrTx } from '../../db/database.js';
import {
  deleteMailWindowsStartedBy,
  findMailWindow,
  insertMailWindow,
  setMailRequests,
} from './mail-throttle.repository.js';

/** Mails anyone may make Cloison send to one address (reset links, sign-up notices) per hour. */
const MAILS_PER_HOUR = 3;
const WINDOW_MS = 3_600_000;

/**
 * Keyed by the address typed, hashed, known or not: counting unknown addresses too makes both
 * branches of a request write the same row, and the table holds no address in clear.
 */
function subjectOf(email: string): string {
  return createHash('sha256').update(`mail:${email}`).digest('hex');
}

/**
 * Counts one request to mail this address, in the caller's transaction, and says whether a mail
 * may go out. Over the limit the caller answers as usual and sends nothing: a mail bomb gets
 * three mails an hour through, and the answer does not tell the sender it was cut.
 */
export async function takeMailAllowance(db: DbOrTx, email: string, now: Date): Promise<boolean> {
  const subject = subjectOf(email);
  const windowStart = new Date(now.getTime() - WINDOW_MS).toISOString();
  // Rows of finished windows say nothing useful any more: drop them as we go.
  await deleteMailWindowsStartedBy(db, windowStart);
  const row = await findMailWindow(db, subject);
  if (!row) {
    await insertMailWindow(db, subject, now.toISOString());
    return true;
  }
  await setMailRequests(db, subject, row.requests + 1);
  return row.requests + 1 <= MAILS_PER_HOUR;
}
