import { randomUUID } from 'node:crypto';
import { endSessionsAndTokens } from './account-credentials.js';
import type { AppDeps } from '../../deps.js';
import type { Actor } from '../../policy/actor.js';
import type { AccountFacts, SupportCategory } from '../../policy/account.policy.js';
import type { Action } from '../../policy/actions.js';
import { recordSecurityEvent, type EventOrigin } from '../events/security-events.js';
import { findAccountOfTenant, insertSupportAction } from './account-status.repository.js';
import type { AccountRow } from '../../db/schema.js';
import { requireAuthorized } from '../authorization/require-authorized.js';

type AccountAction = Extract<
  Action,
  'account.disable' | 'account.enable' | 'account.endSessions' | 'account.supportEndSessions'
>;

/** What the account rules see of an account row. */
function accountFacts(
  row: Pick<AccountRow, 'id' | 'tenant_id' | 'kind' | 'role' | 'status' | 'disabled_reason'>,
): { type: 'account' } & AccountFacts {
  return {
    type: 'account',
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    role: row.role,
    status: row.status,
    disabledReason: row.disabled_reason,
  };
}

/**
 * Loads an account of the admin's own tenant and authorizes the action on it: another tenant's,
 * a missing one and one the policy refuses (a usager's, for disabling) get the same 404.
 */
export async function requireAccount(
  deps: AppDeps,
  actor: Actor,
  action: AccountAction,
  accountId: string,
): Promise<{ type: 'account' } & AccountFacts> {
  return requireAuthorized(deps.db, actor, action, {
    type: 'account',
    id: accountId,
    table: 'accounts',
    find: async () => {
      if (actor.kind !== 'staff') return undefined;
      const row = await findAccountOfTenant(deps.db, actor.tenantId, accountId);
      return row && accountFacts(row);
    },
    facts: (account) => account,
  });
}

/** Ends every session of a staff account (a lost phone, a shared screen); the account stays. */
export async function endSessions(
  deps: AppDeps,
  actor: Actor,
  origin: EventOrigin,
  accountId: string,
): Promise<void> {
  const account = await requireAccount(deps, actor, 'account.endSessions', accountId);
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute((trx) => endSessionsAndTokens(trx, [account.id], at));
  await recordSecurityEvent(deps, origin, {
    kind: 'account.sessions-ended',
    actor,
    objectType: 'account',
    objectId: account.id,
  });
}

const supportReasonRef = (id: string) => ({
  table: 'support_actions',
  column: 'reason',
  rowId: id,
});

/**
 * Ends every session of a usager's account as a support action: the admin says why. The
 * category goes to the audit detail; the written reason is sealed under the tenant's credential
 * secret, bound to its row, and recorded in the same transaction as the sessions ending, so it
 * never sits in clear in the database, the events or the logs.
 */
export async function supportEndSessions(
  deps: AppDeps,
  actor: Actor,
  origin: EventOrigin,
  accountId: string,
  support: { category: SupportCategory; reason: string },
): Promise<void> {
  const account = await requireAccount(deps, actor, 'account.supportEndSessions', accountId);
  if (actor.kind !== 'staff' || account.tenantId === null) return;
  // Its 20 visible characters at least are the schema's (VisibleText), counted as a reader sees.
  const reason = support.reason;
  const tenantId = account.tenantId;
  const at = deps.clock.now().toISOString();
  const id = randomUUID();
  const sealed = await deps.vault.sealCredential(
    deps.db,
    tenantId,
    supportReasonRef(id),
    Buffer.from(reason, 'utf8'),
  );
  await deps.db.transaction().execute(async (trx) => {
    await insertSupportAction(trx, {
      id,
      tenant_id: tenantId,
      account_id: account.id,
      action: 'end-sessions',
      category: support.category,
      reason_enc: sealed,
      acted_by: actor.accountId,
      acted_at: at,
    });
    await endSessionsAndTokens(trx, [account.id], at);
  });
  await recordSecurityEvent(deps, origin, {
    kind: 'account.sessions-ended',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { category: support.category, supportActionId: id },
  });
}
