import type { DbOrTx } from '../../db/database.js';

/** Deletes the rows of every window started at or before `windowStart`. */
export async function deleteMailWindowsStartedBy(db: DbOrTx, windowStart: string): Promise<void> {
  await db.deleteFrom('mail_throttle').where('window_started_at', '<=', windowStart).execute();
}

/** The requests counted for the subject in its current window, if it has one. */
export function findMailWindow(db: DbOrTx, subject: string) {
  return db
    .selectFrom('mail_throttle')
    .select('requests')
    .where('subject', '=', subject)
    .executeTakeFirst();
}

/** Opens the subject's window at `startedAt` with one request counted. */
export async function insertMailWindow(
  db: DbOrTx,
  subject: string,
  startedAt: string,
): Promise<void> {
  await db
    .insertInto('mail_throttle')
    .values({ subject, window_started_at: startedAt, requests: 1 })
    .execute();
}

/** Sets the number of requests counted in the subject's window. */
export async function setMailRequests(
  db: DbOrTx,
  subject: string,
  requests: number,
): Promise<void> {
  await db.updateTable('mail_throttle').set({ requests }).where('subject', '=', subject).execute();
}
