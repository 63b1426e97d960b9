import { randomBytes, randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { RequestContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import { isConstraintViolation } from '../../db/constraint-errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { findAccountIdByEmail } from '../auth/account.repository.js';
import { hashPassword } from '../auth/password.js';
import { recordSecurityEvent } from '../events/security-events.js';
import {
  defaultManager,
  findActiveResponsable,
  findStaffAccount,
  hasPendingGrant,
  insertPendingGrant,
  listPendingGrants,
} from './role-grant.repository.js';
import { insertAccountAwaitingApproval } from './staff.repository.js';
import {
  displayNameProblem,
  genericMailboxProblem,
  normaliseDisplayName,
} from './personal-identity.js';
import { normaliseEmail } from '../self-service/email-address.js';
import { AGENT_ROLES } from './agent-roles.js';
import { staffProblems } from './staff-problems.js';
import type { RoleRequestBody, StaffRequestBody } from './staff.schemas.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { isSecondPerson } from '../../policy/staff.policy.js';
import { listPendingAccountRequests } from '../accounts/account-status.repository.js';
import { requireAuthorized } from '../authorization/require-authorized.js';

const YEAR_MS = 366 * 86_400_000;

/** A temporary grant ends in the future, within a year; null for a lasting one. */
function checkExpiry(deps: AppDeps, expiresAt: string | undefined): string | null {
  if (expiresAt === undefined) return null;
  const at = new Date(expiresAt).getTime();
  const now = deps.clock.now().getTime();
  if (!Number.isFinite(at) || at <= now || at > now + YEAR_MS)
    throw staffProblems.expiryNotFuture();
  return new Date(at).toISOString();
}

/**
 * An admin asks for a staff account. The account exists from now on, disabled and without a
 * role (nothing can sign in to it), with the request beside it waiting for another admin.
 */
export async function requestStaffAccount(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  body: Static<typeof StaffRequestBody>,
) {
  const admin = requireStaff(actor);
  const email = normaliseEmail(body.email);
  const displayName = normaliseDisplayName(body.displayName);
  const notPersonal = genericMailboxProblem(email) ?? displayNameProblem(displayName);
  if (notPersonal) throw staffProblems.notPersonal(notPersonal);
  const expiresAt = checkExpiry(deps, body.expiresAt);
  const team = body.team ?? null;
  let managerId: string | null = null;
  if (body.managerId !== undefined) {
    if (!(await findActiveResponsable(deps.db, admin.tenantId, body.managerId)))
      throw staffProblems.notAManager();
    managerId = body.managerId;
  } else if (AGENT_ROLES.includes(body.role)) {
    managerId = await defaultManager(deps.db, admin.tenantId, team);
  }
  // No password until the person chooses one; meanwhile a hash nobody knows the input of, so a
  // login attempt costs the same time as for any account.
  const placeholder = await hashPassword(randomBytes(32).toString('base64url'));
  const accountId = randomUUID();
  noteAuditedObject('account', accountId);
  const grantId = randomUUID();
  const now = deps.clock.now().toISOString();
  try {
    await deps.db.transaction().execute(async (trx) => {
      if (await findAccountIdByEmail(trx, email)) throw staffProblems.emailUnavailable();
      await insertAccountAwaitingApproval(
        trx,
        {
          id: accountId,
          tenantId: admin.tenantId,
          email,
          displayName,
          passwordHash: placeholder,
          managerId,
        },
        now,
      );
      await insertPendingGrant(trx, {
        id: grantId,
        tenantId: admin.tenantId,
        accountId,
        purpose: 'create',
        role: body.role,
        team,
        expiresAt,
        requestedBy: admin.accountId,
        requestedAt: now,
      });
    });
  } catch (error) {
    // Two requests for one address at once: the unique index decides, the loser is told so.
    if (isConstraintViolation(error)) throw staffProblems.emailUnavailable();
    throw error;
  }
  await recordSecurityEvent(deps, origin, {
    kind: 'staff.requested',
    actor,
    objectType: 'account',
    objectId: accountId,
    detail: { requestId: grantId, role: body.role, temporary: expiresAt !== null },
  });
  return { requestId: grantId, accountId, status: 'pending' as const };
}

/** An admin asks for a role (grant, widen, change, temporary) for a staff account of the tenant. */
export async function requestRoleChange(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  accountId: string,
  body: Static<typeof RoleRequestBody>,
) {
  const admin = requireStaff(actor);
  const account = await requireAuthorized(deps.db, actor, 'role.request', {
    type: 'account',
    id: accountId,
    table: 'accounts',
    find: () => findStaffAccount(deps.db, admin.tenantId, accountId),
    facts: (row) => ({ type: 'staff-account', id: row.id, tenantId: admin.tenantId }),
  });
  if (account.status !== 'active') throw staffProblems.accountNotActive();
  const expiresAt = checkExpiry(deps, body.expiresAt);
  const grantId = randomUUID();
  const now = deps.clock.now().toISOString();
  try {
    await deps.db.transaction().execute(async (trx) => {
      if (await hasPendingGrant(trx, account.id)) throw staffProblems.requestPending();
      await insertPendingGrant(trx, {
        id: grantId,
        tenantId: admin.tenantId,
        accountId: account.id,
        purpose: 'change',
        role: body.role,
        team: body.team ?? null,
        expiresAt,
        requestedBy: admin.accountId,
        requestedAt: now,
      });
    });
  } catch (error) {
    if (isConstraintViolation(error)) throw staffProblems.requestPending();
    throw error;
  }
  await recordSecurityEvent(deps, origin, {
    kind: 'role.requested',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { requestId: grantId, role: body.role, temporary: expiresAt !== null },
  });
  return { requestId: grantId, accountId: account.id, status: 'pending' as const };
}

/**
 * The tenant's requests waiting for a second admin, oldest first, each saying whether this admin
 * may decide it: account and role requests, and requests to disable or re-enable an account.
 */
export async function listRequests(deps: AppDeps, actor: Actor) {
  const admin = requireStaff(actor);
  const grants = await listPendingGrants(deps.db, admin.tenantId);
  const statusRequests = await listPendingAccountRequests(deps.db, admin.tenantId);
  const items = [
    ...grants.map((r) => ({
      id: r.id,
      purpose: r.purpose,
      accountId: r.account_id!,
      displayName: r.display_name,
      email: r.email,
      currentRole: r.current_role,
      role: r.role as string | null,
      team: r.team,
      expiresAt: r.expires_at,
      requestedBy: r.requested_by,
      requestedAt: r.requested_at,
      mayDecide: isSecondPerson(admin, { requestedBy: r.requested_by, accountId: r.account_id }),
    })),
    ...statusRequests.map((r) => ({
      id: r.id,
      purpose: r.purpose,
      accountId: r.account_id,
      displayName: r.display_name,
      email: r.email,
      currentRole: r.current_role,
      role: null,
      team: r.team,
      expiresAt: null,
      requestedBy: r.requested_by,
      requestedAt: r.requested_at,
      mayDecide: isSecondPerson(admin, { requestedBy: r.requested_by, accountId: r.account_id }),
    })),
  ];
  items.sort((a, b) =>
    a.requestedAt === b.requestedAt
      ? a.id.localeCompare(b.id)
      : a.requestedAt < b.requestedAt
        ? -1
        : 1,
  );
  return { items };
}
