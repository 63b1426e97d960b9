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
