import type { AppDeps } from '../../deps.js';
import { unsafeRowExists } from '../../db/unsafe-exists.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { canBeReenabled } from '../../policy/account.policy.js';
import { isSecondPerson } from '../../policy/staff.policy.js';
import { recordSecurityEvent, type EventOrigin } from '../events/security-events.js';
import { staffProblems } from '../staff/staff-problems.js';
import { assertKeepsEnoughAdmins, recordingAdminFloor } from './account-disable.service.js';
import { disableAccounts } from './account-lifecycle.js';
import { accountProblems } from './account-problems.js';
import {
  decideAccountRequestRow,
  findAccountRequest,
  findAccountStatus,
  reenableAccount,
} from './account-status.repository.js';
import { requireAuthorized } from '../authorization/require-authorized.js';

/**
 * Whether the id is a disable or re-enable request of any tenant. Unscoped, hence "unsafe": it
 * only picks which scoped loader labels the answer; both answer another tenant's request and a
 * missing one with the same 404.
 */
export function unsafeIsAccountRequest(deps: AppDeps, requestId: string): Promise<boolean> {
  return unsafeRowExists(deps.db, 'account_status_requests', requestId);
}

/**
 * A second admin decides a disable or re-enable request: never the admin who asked, never the
 * account's holder (the database refuses it too). Approving a disable ends the account's
 * sessions and tokens at once and is refused if the département would keep fewer than two
 * admins; approving a re-enable makes the account active again with a fresh dormancy clock, its
 * old sessions still ended. A role that ended meanwhile stays ended: the role-expiry rules
 * apply at its next sign-in as to anyone, and a new role takes a new grant.
 */
export async function decideAccountRequest(
  deps: AppDeps,
  actor: Actor,
  origin: EventOrigin,
  requestId: string,
  decision: 'approve' | 'refuse',
) {
  const admin = requireStaff(actor);
  const request = await requireAuthorized(deps.db, actor, 'staff.decide', {
    type: 'account-request',
    id: requestId,
    table: 'account_status_requests',
    find: () => findAccountRequest(deps.db, admin.tenantId, requestId),
    facts: (row) => ({ type: 'account-request', id: row.id, tenantId: row.tenant_id }),
  });
  if (request.status !== 'pending') throw staffProblems.alreadyDecided();
  if (
    !isSecondPerson(actor, { requestedBy: request.requested_by, accountId: request.account_id })
  ) {
    await recordSecurityEvent(deps, origin, {
      kind: 'approval.same-person',
      actor,
      objectType: 'account-request',
      objectId: request.id,
    });
    throw staffProblems.secondAdminRequired();
  }
  const now = deps.clock.now().toISOString();
  const status = decision === 'approve' ? 'approved' : 'refused';
  const accountId = request.account_id;

  const decide = () =>
    deps.db.transaction().execute(async (trx) => {
      if (
        !(await decideAccountRequestRow(trx, request.id, { status, by: admin.accountId, at: now }))
      )
        throw staffProblems.alreadyDecided();
      if (decision === 'refuse') return;
      const account = await findAccountStatus(trx, accountId);
      if (!account) throw staffProblems.alreadyDecided();
      if (request.purpose === 'disable') {
        if (account.status !== 'active') throw staffProblems.accountNotActive();
        await assertKeepsEnoughAdmins(trx, admin.tenantId, accountId, now);
        await disableAccounts(trx, [accountId], 'offboarded', now);
        return;
      }
      const facts = { ...account, disabledReason: account.disabled_reason };
      if (
        !canBeReenabled(facts) ||
        !(await reenableAccount(trx, accountId, facts.disabledReason!, now))
      )
        throw accountProblems.notReenablable();
    });
  await recordingAdminFloor(deps, origin, actor, { accountId, step: 'disable-approval' }, decide);

  await recordSecurityEvent(deps, origin, {
    kind: eventKind(request.purpose, decision),
    actor,
    objectType: 'account',
    objectId: accountId,
    detail:
      request.purpose === 'disable' && decision === 'approve'
        ? { reason: 'offboarded', requestId: request.id }
        : { requestId: request.id },
  });
  return { requestId: request.id, status };
}

function eventKind(purpose: 'disable' | 'enable', decision: 'approve' | 'refuse') {
  if (purpose === 'disable')
    return decision === 'approve' ? 'account.disabled' : 'account.disable-refused';
  return decision === 'approve' ? 'account.enabled' : 'account.enable-refused';
}
