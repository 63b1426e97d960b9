import type { DbOrTx } from '../../db/database.js';

/** Active staff of the tenant holding a role, oldest first: who is reviewed, and who reviews. */
export function listActiveStaffWithRole(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'role', 'team', 'manager_id', 'role_grant_id', 'role_expires_at'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'staff')
    .where('status', '=', 'active')
    .where('role', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The tenant's open campaign, if any. */
export function findOpenReview(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('access_reviews')
    .select(['id', 'deadline'])
    .where('tenant_id', '=', tenantId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
}

/** An item of the tenant with its campaign's deadline and state, if any. */
export function findItem(db: DbOrTx, tenantId: string, itemId: string) {
  return db
    .selectFrom('access_review_items')
    .innerJoin('access_reviews', 'access_reviews.id', 'access_review_items.review_id')
    .select([
      'access_review_items.id',
      'access_review_items.tenant_id',
      'access_review_items.account_id',
      'access_review_items.grant_id',
      'access_review_items.reviewer_id',
      'access_review_items.status',
      'access_review_items.role',
      'access_reviews.deadline',
      'access_reviews.closed_at',
    ])
    .where('access_review_items.id', '=', itemId)
    .where('access_review_items.tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/** The items assigned to a reviewer in the tenant's open campaign. */
export function listItemsOfReviewer(db: DbOrTx, tenantId: string, reviewerId: string) {
  return db
    .selectFrom('access_review_items')
    .innerJoin('access_reviews', 'access_reviews.id', 'access_review_items.review_id')
    .innerJoin('accounts', 'accounts.id', 'access_review_items.account_id')
    .select([
      'access_review_items.id',
      'access_review_items.review_id',
      'access_review_items.account_id',
      'access_review_items.role',
      'access_review_items.team',
      'access_review_items.status',
      'access_reviews.deadline',
      'accounts.display_name',
    ])
    .where('access_review_items.tenant_id', '=', tenantId)
    .where('access_review_items.reviewer_id', '=', reviewerId)
    .where('access_reviews.closed_at', 'is', null)
    .orderBy('accounts.display_name')
    .orderBy('access_review_items.id')
    .execute();
}

/** Records a new open campaign. */
export async function insertReview(
  db: DbOrTx,
  review: { id: string; tenantId: string; openedBy: string; openedAt: string; deadline: string },
): Promise<void> {
  await db
    .insertInto('access_reviews')
    .values({
      id: review.id,
      tenant_id: review.tenantId,
      opened_by: review.openedBy,
      opened_at: review.openedAt,
      deadline: review.deadline,
      closed_at: null,
    })
    .execute();
}

/** Records a pending item of a campaign: one account's role, for a reviewer (null: none found). */
export async function insertReviewItem(
  db: DbOrTx,
  item: {
    id: string;
    reviewId: string;
    tenantId: string;
    accountId: string;
    grantId: string | null;
    role: string;
    team: string | null;
    reviewerId: string | null;
  },
): Promise<void> {
  await db
    .insertInto('access_review_items')
    .values({
      id: item.id,
      review_id: item.reviewId,
      tenant_id: item.tenantId,
      account_id: item.accountId,
      grant_id: item.grantId,
      role: item.role,
      team: item.team,
      reviewer_id: item.reviewerId,
      status: 'pending',
    })
    .execute();
}

/**
 * Records the reviewer's decision on an item, on condition that it is still pending: true when
 * this call decided it.
 */
export async function decideReviewItem(
  db: DbOrTx,
  itemId: string,
  decision: { status: 'confirmed' | 'revoked'; by: string; at: string },
): Promise<boolean> {
  const decided = await db
    .updateTable('access_review_items')
    .set({ status: decision.status, decided_by: decision.by, decided_at: decision.at })
    .where('id', '=', itemId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return decided.numUpdatedRows === 1n;
}

/** The account's pending items have nothing left to decide: its role was just replaced. */
export async function supersedePendingItemsOf(
  db: DbOrTx,
  accountId: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('access_review_items')
    .set({ status: 'superseded', decided_at: at })
    .where('account_id', '=', accountId)
    .where('status', '=', 'pending')
    .execute();
}
