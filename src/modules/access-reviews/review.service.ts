import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import { isConstraintViolation } from '../../db/constraint-errors.js';
import { Problem } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { removeRole } from '../staff/effective-role.js';
import { findGrantExpiry } from '../staff/role-grant.repository.js';
import { setRoleExpiry } from '../staff/staff.repository.js';
import {
  assertKeepsEnoughAdmins,
  recordingAdminFloor,
} from '../accounts/account-disable.service.js';
import {
  decideReviewItem,
  findItem,
  findOpenReview,
  insertReview,
  insertReviewItem,
  listActiveStaffWithRole,
  listItemsOfReviewer,
} from './review.repository.js';
import { reviewerFor } from './reviewer-assignment.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { requireAuthorized } from '../authorization/require-authorized.js';

const DAY_MS = 86_400_000;
/** A campaign gives reviewers at least an hour and runs at most half a year. */
const MIN_NOTICE_MS = 3_600_000;
const MAX_LENGTH_MS = 183 * DAY_MS;

const reviewProblems = {
  alreadyOpen: () =>
    new Problem(
      409,
      'review-already-open',
      'Revue déjà en cours',
      'Une revue des accès est déjà ouverte pour votre département.',
    ),
  badDeadline: () =>
    new Problem(
      400,
      'review-deadline',
      'Échéance invalide',
      'L’échéance d’une revue doit être au moins une heure après maintenant, au plus six mois.',
    ),
  closed: () =>
    new Problem(
      409,
      'review-item-closed',
      'Revue close pour ce rôle',
      'Ce rôle a déjà été revu, ou l’échéance de la revue est passée.',
    ),
};

/**
 * Opens a campaign: every active staff member's role becomes an item for a reviewer other than
 * them, and stops working at the deadline unless confirmed (accounts.role_expires_at is pulled in
 * to the deadline, so the session check enforces it without any job).
 */
export async function openReview(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  deadlineText: string,
) {
  const opener = requireStaff(actor);
  const now = deps.clock.now();
  const deadlineMs = new Date(deadlineText).getTime();
  if (
    !Number.isFinite(deadlineMs) ||
    deadlineMs < now.getTime() + MIN_NOTICE_MS ||
    deadlineMs > now.getTime() + MAX_LENGTH_MS
  )
    throw reviewProblems.badDeadline();
  const deadline = new Date(deadlineMs).toISOString();
  const reviewId = randomUUID();
  noteAuditedObject('access-review', reviewId);
  let counts = { items: 0, unassigned: 0 };
  try {
    counts = await deps.db.transaction().execute(async (trx) => {
      if (await findOpenReview(trx, opener.tenantId)) throw reviewProblems.alreadyOpen();
      await insertReview(trx, {
        id: reviewId,
        tenantId: opener.tenantId,
        openedBy: opener.accountId,
        openedAt: now.toISOString(),
        deadline,
      });
      const staff = (await listActiveStaffWithRole(trx, opener.tenantId)).map((s) => ({
        ...s,
        role: s.role!,
      }));
      let unassigned = 0;
      for (const person of staff) {
        const reviewerId = reviewerFor(person, staff, opener.accountId);
        if (reviewerId === null) unassigned++;
        await insertReviewItem(trx, {
          id: randomUUID(),
          reviewId,
          tenantId: opener.tenantId,
          accountId: person.id,
          grantId: person.role_grant_id,
          role: person.role,
          team: person.team,
          reviewerId,
        });
        if (person.role_expires_at === null || person.role_expires_at > deadline) {
          await setRoleExpiry(trx, person.id, deadline);
        }
      }
      return { items: staff.length, unassigned };
    });
  } catch (error) {
    if (isConstraintViolation(error)) throw reviewProblems.alreadyOpen();
    throw error;
  }
  await recordSecurityEvent(deps, origin, {
    kind: 'review.opened',
    actor,
    objectType: 'access-review',
    objectId: reviewId,
    detail: counts,
  });
  return { id: reviewId, deadline, ...counts };
}

/** The reviewer's items in the open campaign of their tenant. */
export async function listMyItems(deps: AppDeps, actor: Actor) {
  const reviewer = requireStaff(actor);
  const rows = await listItemsOfReviewer(deps.db, reviewer.tenantId, reviewer.accountId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      reviewId: r.review_id,
      deadline: r.deadline,
      accountId: r.account_id,
      displayName: r.display_name,
      role: r.role,
      team: r.team,
      status: r.status,
    })),
  };
}

/**
 * The reviewer confirms a role (it keeps working past the deadline, until its own expiry if
 * any) or revokes it (taken away now, sessions ended). Only the assigned reviewer reaches the
 * item; anybody else gets the 404 of a missing one.
 */
export async function decideItem(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  itemId: string,
  decision: 'confirm' | 'revoke',
) {
  const reviewer = requireStaff(actor);
  const item = await requireAuthorized(deps.db, actor, 'review.decide', {
    type: 'review-item',
    id: itemId,
    table: 'access_review_items',
    find: () => findItem(deps.db, reviewer.tenantId, itemId),
    facts: (row) => ({
      type: 'review-item',
      id: row.id,
      tenantId: row.tenant_id,
      accountId: row.account_id,
      reviewerId: row.reviewer_id,
    }),
  });
  const now = deps.clock.now().toISOString();
  if (item.status !== 'pending' || item.closed_at !== null || item.deadline <= now)
    throw reviewProblems.closed();
  const status = decision === 'confirm' ? 'confirmed' : 'revoked';
  const decide = () =>
    deps.db.transaction().execute(async (trx) => {
      if (!(await decideReviewItem(trx, item.id, { status, by: reviewer.accountId, at: now })))
        throw reviewProblems.closed();
      if (decision === 'revoke') {
        // An admin whose role is revoked leaves like a disabled one: two admins must remain.
        await assertKeepsEnoughAdmins(trx, reviewer.tenantId, item.account_id, now);
        await removeRole(trx, item.account_id, 'revoked', now);
        return;
      }
      // Confirmed: the deadline no longer hangs over the role, only the grant's own expiry.
      const grant = item.grant_id ? await findGrantExpiry(trx, item.grant_id) : undefined;
      await setRoleExpiry(trx, item.account_id, grant?.expires_at ?? null);
    });
  await recordingAdminFloor(
    deps,
    origin,
    actor,
    { accountId: item.account_id, step: 'review-revoke' },
    decide,
  );
  await recordSecurityEvent(deps, origin, {
    kind: decision === 'confirm' ? 'review.confirmed' : 'review.revoked',
    actor,
    objectType: 'account',
    objectId: item.account_id,
    detail: { itemId: item.id, role: item.role },
  });
  return { id: item.id, status };
}
