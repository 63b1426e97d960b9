import type { DbOrTx } from '../../db/database.js';
import type { LoginThrottleTable } from '../../db/schema.js';

/** The attempts counted for a subject, with its lock, once counting started. */
export type ThrottleState = Omit<LoginThrottleTable, 'subject'>;

/** The subject's throttle row, if any attempt was counted since its last success. */
export function findThrottle(db: DbOrTx, subject: string) {
  return db
    .selectFrom('login_throttle')
    .selectAll()
    .where('subject', '=', subject)
    .executeTakeFirst();
}

/** Starts counting for a subject. */
export async function insertThrottle(
  db: DbOrTx,
  subject: string,
  state: ThrottleState,
): Promise<void> {
  await db
    .insertInto('login_throttle')
    .values({ subject, ...state })
    .execute();
}

/** Replaces the subject's count and lock. */
export async function updateThrottle(
  db: DbOrTx,
  subject: string,
  state: ThrottleState,
): Promise<void> {
  await db.updateTable('login_throttle').set(state).where('subject', '=', subject).execute();
}

/** Forgets the subject's attempts and its run of locks. */
export async function deleteThrottle(db: DbOrTx, subject: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('subject', '=', subject).execute();
}
