import type { DbOrTx } from '../../db/database.js';

/** Accounts whose role is due to end at `now` (only this one when `onlyAccountId` is given). */
export function listAccountsWithRoleDue(db: DbOrTx, now: string, onlyAccountId?: string) {
  let query = db
    .selectFrom('accounts')
    .select(['id', 'tenant_id', 'role'])
    .where('role_expires_at', 'is not', null)
    .where('role_expires_at', '<=', now);
  if (onlyAccountId !== undefined) query = query.where('id', '=', onlyAccountId);
  return query.execute();
}

/** A pending item about the account in a campaign whose deadline has passed at `now`, if any. */
export function findUnreviewedItemPastDeadline(db: DbOrTx, accountId: string, now: string) {
  return db
    .selectFrom('access_review_items')
    .innerJoin('access_reviews', 'access_reviews.id', 'access_review_items.review_id')
    .select('access_review_items.id')
    .where('access_review_items.account_id', '=', accountId)
    .where('access_review_items.status', '=', 'pending')
    .where('access_reviews.deadline', '<=', now)
    .executeTakeFirst();
}

/** Marks one item lapsed: nobody reviewed it by its deadline. */
export async function markItemLapsed(db: DbOrTx, itemId: string, at: string): Promise<void> {
  await db
    .updateTable('access_review_items')
    .set({ status: 'lapsed', decided_at: at })
    .where('id', '=', itemId)
    .execute();
}

/** The ids of the campaigns still open whose deadline has passed at `now`. */
export async function listOpenReviewIdsPastDeadline(db: DbOrTx, now: string): Promise<string[]> {
  const due = await db
    .selectFrom('access_reviews')
    .select('id')
    .where('closed_at', 'is', null)
    .where('deadline', '<=', now)
    .execute();
  return due.map((r) => r.id);
}

/**
 * The accounts of the campaigns' pending items, each with its current role and grant beside the
 * grant its item reviews.
 */
export function listAccountsOfPendingItems(db: DbOrTx, reviewIds: readonly string[]) {
  return db
    .selectFrom('access_review_items')
    .innerJoin('accounts', 'accounts.id', 'access_review_items.account_id')
    .select([
      'accounts.id',
      'accounts.tenant_id',
      'accounts.role',
      'accounts.role_grant_id',
      'access_review_items.grant_id',
    ])
    .where('access_review_items.review_id', 'in', [...reviewIds])
    .where('access_review_items.status', '=', 'pending')
    .execute();
}

/** Marks every item still pending in the campaigns lapsed. */
export async function markPendingItemsLapsed(
  db: DbOrTx,
  reviewIds: readonly string[],
  at: string,
): Promise<void> {
  await db
    .updateTable('access_review_items')
    .set({ status: 'lapsed', decided_at: at })
    .where('review_id', 'in', [...reviewIds])
    .where('status', '=', 'pending')
    .execute();
}

/** Closes the campaigns at `at`. */
export async function closeReviews(
  db: DbOrTx,
  reviewIds: readonly string[],
  at: string,
): Promise<void> {
  await db
    .updateTable('access_reviews')
    .set({ closed_at: at })
    .where('id', 'in', [...reviewIds])
    .execute();
}
