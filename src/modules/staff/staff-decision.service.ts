import type { RequestContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { issueToken } from '../auth/one-time-tokens.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { applyGrant } from './effective-role.js';
import { decideGrant, findGrant } from './role-grant.repository.js';
import { staffProblems } from './staff-problems.js';
import {
  deleteAccountAwaitingApproval,
  loadAccountStatus,
  markAwaitingActivation,
} from './staff.repository.js';
import { isSecondPerson } from '../../policy/staff.policy.js';
import { tokenLink } from '../self-service/account-mails.js';
import {
  assertKeepsEnoughAdmins,
  recordingAdminFloor,
} from '../accounts/account-disable.service.js';
import {
  decideAccountRequest,
  unsafeIsAccountRequest,
} from '../accounts/account-request-decision.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { enqueueMail } from '../outbox/enqueue.js';

type Decision = 'approve' | 'refuse';

/**
 * The inbox's decision: a request to disable or re-enable an account, or else an account or
 * role request (whose loader answers any other id with the 404 of a missing one).
 */
export async function decideInboxRequest(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  requestId: string,
  decision: Decision,
) {
  if (await unsafeIsAccountRequest(deps, requestId))
    return decideAccountRequest(deps, actor, origin, requestId, decision);
  return decideRequest(deps, actor, origin, requestId, decision);
}

/** Loads a request of the admin's own tenant; a foreign or missing one is the same 404. */
async function requireGrant(deps: AppDeps, actor: Actor, grantId: string) {
  return requireAuthorized(deps.db, actor, 'staff.decide', {
    type: 'role-grant',
    id: grantId,
    table: 'role_grants',
    find: async () =>
      actor.kind === 'staff' ? findGrant(deps.db, actor.tenantId, grantId) : undefined,
    facts: (row) => ({ type: 'role-grant', id: row.id, tenantId: row.tenant_id }),
  });
}

/**
 * A second admin decides a request. Never the admin who asked, never the person it is for (the
 * database refuses it too). Approving a creation sends the activation link, so it is refused
 * while no mail can leave; approving a change makes it the account's role at once.
 */
async function decideRequest(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  grantId: string,
  decision: Decision,
) {
  const grant = await requireGrant(deps, actor, grantId);
  if (actor.kind !== 'staff') throw problems.forbidden();
  if (grant.status !== 'pending' || grant.account_id === null) throw staffProblems.alreadyDecided();
  if (!isSecondPerson(actor, { requestedBy: grant.requested_by, accountId: grant.account_id })) {
    await recordSecurityEvent(deps, origin, {
      kind: 'approval.same-person',
      actor,
      objectType: 'role-grant',
      objectId: grant.id,
    });
    throw staffProblems.secondAdminRequired();
  }
  const accountId = grant.account_id;
  if (decision === 'approve' && grant.purpose === 'create' && !deps.mailer.available)
    throw staffProblems.mailUnavailable();
  const now = deps.clock.now().toISOString();
  const status = decision === 'approve' ? 'approved' : 'refused';

  const decide = () =>
    deps.db.transaction().execute(async (trx) => {
      if (!(await decideGrant(trx, grant.id, { status, by: actor.accountId, at: now })))
        throw staffProblems.alreadyDecided();
      if (grant.purpose === 'create') {
        if (decision === 'refuse') {
          // Nothing was ever granted nor sent: the account goes, its address is free again.
          await deleteAccountAwaitingApproval(trx, accountId);
          return null;
        }
        // Offboarded before approval: approving must not bring it back.
        if (!(await markAwaitingActivation(trx, accountId))) throw staffProblems.accountNotActive();
        await applyGrant(trx, accountId, grant, now);
        const token = await issueToken(deps, trx, accountId, 'activate');
        // Queued with the approval: the link exists if and only if the account may be activated.
        await enqueueMail(trx, deps, {
          tenantId: grant.tenant_id,
          topic: 'activation',
          to: { accountId, awaitingActivation: true },
          subject: 'Cloison : activez votre compte',
          text:
            `Bonjour ${grant.display_name ?? ''},\n\n` +
            'Un compte agent a été créé pour vous sur Cloison, à la demande d’un administrateur de ' +
            'votre département et avec l’accord d’un second.\n\n' +
            `Pour l’activer et choisir votre mot de passe, ouvrez ce lien (valable 72 heures, une seule fois) :\n${tokenLink(deps.publicOrigin(), '/activation', token)}\n\n` +
            'Si vous n’attendiez pas ce message, ne cliquez pas et prévenez votre administrateur.\n',
        });
        return token;
      }
      if (decision === 'approve') {
        const account = await loadAccountStatus(trx, accountId);
        if (account.status !== 'active') throw staffProblems.accountNotActive();
        // Moving one of the last two admins to another role would leave too few to approve.
        if (grant.role !== 'admin')
          await assertKeepsEnoughAdmins(trx, actor.tenantId, accountId, now);
        await applyGrant(trx, accountId, grant, now);
      }
      return null;
    });
  await recordingAdminFloor(deps, origin, actor, { accountId, step: 'role-change' }, decide);

  const kind =
    grant.purpose === 'create'
      ? decision === 'approve'
        ? 'staff.approved'
        : 'staff.refused'
      : decision === 'approve'
        ? 'role.granted'
        : 'role.refused';
  await recordSecurityEvent(deps, origin, {
    kind,
    actor,
    objectType: 'account',
    objectId: accountId,
    detail: {
      requestId: grant.id,
      role: grant.role,
      previousRole: grant.current_role ?? 'none',
      temporary: grant.expires_at !== null,
    },
  });
  return { requestId: grant.id, status };
}
