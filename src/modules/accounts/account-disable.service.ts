import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import type { DbOrTx } from '../../db/database.js';
import { isConstraintViolation } from '../../db/constraint-errors.js';
import { Problem } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import {
  canBeReenabled,
  disableNeedsSecondAdmin,
  keepsEnoughAdmins,
} from '../../policy/account.policy.js';
import { recordSecurityEvent, type EventOrigin } from '../events/security-events.js';
import { staffProblems } from '../staff/staff-problems.js';
import { disableAccounts } from './account-lifecycle.js';
import { accountProblems } from './account-problems.js';
import {
  hasPendingAccountRequest,
  insertAccountRequest,
  listActiveAdminIds,
} from './account-status.repository.js';
import { requireAccount } from './account.service.js';

const TOO_FEW_ADMINS = accountProblems.tooFewAdmins().slug;

export type AdminFloorStep =
  'disable-request' | 'disable-approval' | 'role-change' | 'review-revoke';

/**
 * Refuses, inside the caller's transaction (the same one as the write it guards), a change that
 * would take `accountId` out of the tenant's last MIN_ACTIVE_ADMINS active admins. SQLite runs
 * one write transaction at a time, so two approvals cannot both count three admins; a PostgreSQL
 * dialect must lock the admins' rows (FOR UPDATE) or run these transactions serializable.
 */
export async function assertKeepsEnoughAdmins(
  trx: DbOrTx,
  tenantId: string,
  accountId: string,
  now: string,
): Promise<void> {
  const admins = await listActiveAdminIds(trx, tenantId, now);
  if (!keepsEnoughAdmins(admins, accountId)) throw accountProblems.tooFewAdmins();
}

/**
 * Runs `work`; when the admin floor refused it, records that before the refusal goes out (the
 * transaction it ran in was rolled back: nothing changed).
 */
export async function recordingAdminFloor<T>(
  deps: AppDeps,
  origin: EventOrigin,
  actor: Actor,
  target: { accountId: string; step: AdminFloorStep },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Problem && error.slug === TOO_FEW_ADMINS) {
      await recordSecurityEvent(deps, origin, {
        kind: 'account.too-few-admins',
        actor,
        objectType: 'account',
        objectId: target.accountId,
        detail: { step: target.step },
      });
    }
    throw error;
  }
}

export interface DisableOutcome {
  accountId: string;
  status: 'disabled' | 'pending';
  requestId: string | null;
}

/**
 * Offboarding. An ordinary agent's account is disabled now and every session of it ends (a
 * leaving employee is cut off at once). An account holding admin or DPO becomes a request that
 * another admin decides, refused outright if the département would keep fewer than two admins.
 */
export async function disableAccount(
  deps: AppDeps,
  actor: Actor,
  origin: EventOrigin,
  accountId: string,
): Promise<DisableOutcome> {
  const account = await requireAccount(deps, actor, 'account.disable', accountId);
  const now = deps.clock.now().toISOString();
  if (!disableNeedsSecondAdmin(account)) {
    await deps.db
      .transaction()
      .execute((trx) => disableAccounts(trx, [account.id], 'offboarded', now));
    await recordSecurityEvent(deps, origin, {
      kind: 'account.disabled',
      actor,
      objectType: 'account',
      objectId: account.id,
      detail: { reason: 'offboarded' },
    });
    return { accountId: account.id, status: 'disabled', requestId: null };
  }
  const requestId = await openRequest(deps, actor, origin, account, 'disable', now);
  await recordSecurityEvent(deps, origin, {
    kind: 'account.disable-requested',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { requestId },
  });
  return { accountId: account.id, status: 'pending', requestId };
}

/** Asks for a disabled staff account to be re-enabled; another admin decides. */
export async function requestEnable(
  deps: AppDeps,
  actor: Actor,
  origin: EventOrigin,
  accountId: string,
) {
  const account = await requireAccount(deps, actor, 'account.enable', accountId);
  if (!canBeReenabled(account)) throw accountProblems.notReenablable();
  const now = deps.clock.now().toISOString();
  const requestId = await openRequest(deps, actor, origin, account, 'enable', now);
  await recordSecurityEvent(deps, origin, {
    kind: 'account.enable-requested',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { requestId },
  });
  return { requestId, accountId: account.id, status: 'pending' as const };
}

async function openRequest(
  deps: AppDeps,
  actor: Actor,
  origin: EventOrigin,
  account: { id: string },
  purpose: 'disable' | 'enable',
  now: string,
): Promise<string> {
  // Authorized already: the account is of the admin's own tenant.
  const admin = requireStaff(actor);
  const tenantId = admin.tenantId;
  const id = randomUUID();
  const insert = () =>
    deps.db.transaction().execute(async (trx) => {
      if (await hasPendingAccountRequest(trx, account.id)) throw staffProblems.requestPending();
      if (purpose === 'disable') await assertKeepsEnoughAdmins(trx, tenantId, account.id, now);
      await insertAccountRequest(trx, {
        id,
        tenantId,
        accountId: account.id,
        purpose,
        requestedBy: admin.accountId,
        requestedAt: now,
      });
    });
  try {
    await recordingAdminFloor(
      deps,
      origin,
      actor,
      { accountId: account.id, step: 'disable-request' },
      insert,
    );
  } catch (error) {
    // Two requests at once: the unique index of pending requests decides, the loser is told.
    if (isConstraintViolation(error)) throw staffProblems.requestPending();
    throw error;
  }
  return id;
}
