import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import type { RequestContext } from '../request-context.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { disableAccounts, dormancyCutoff, isDormant } from '../accounts/account-lifecycle.js';
import { findAccountById } from './account.repository.js';
import { endDueRoleAtLogin } from '../staff/role-lapse.js';

/**
 * Every first factor (password, OpenID Connect) applies the lifecycle rules before it may open a
 * session, not at the jobs' next run: a staff account unused for CLOISON_DORMANT_DAYS is
 * disabled, and a role past its expiry or review deadline ends. Returns the account as it stands
 * afterwards (disabled, or without its role).
 */
export async function applyLifecycleAtSignIn(
  deps: AppDeps,
  origin: RequestContext,
  account: AccountRow,
): Promise<AccountRow> {
  const current = await disableIfDormant(deps, origin, account);
  return (await endDueRoleAtLogin(deps, origin, current)) ?? current;
}

async function disableIfDormant(
  deps: AppDeps,
  origin: RequestContext,
  account: AccountRow,
): Promise<AccountRow> {
  if (!isDormant(account, dormancyCutoff(deps))) return account;
  const at = deps.clock.now().toISOString();
  // Account, grants, sessions and every token in one transaction, as the job does it.
  await deps.db.transaction().execute((trx) => disableAccounts(trx, [account.id], 'dormant', at));
  await recordSecurityEvent(deps, origin, {
    kind: 'account.disabled',
    actor: { kind: 'anonymous' },
    objectType: 'account',
    objectId: account.id,
    detail: { reason: 'dormant' },
  });
  return (await findAccountById(deps.db, account.id)) ?? account;
}

/**
 * A first factor presented for an account that may not sign in (disabled, dormant, role-less):
 * answered like a wrong password, recorded in the account's own département, where the
 * "disabled-account-login" rule and its DPO see it.
 */
export async function recordDisabledAccountAttempt(
  deps: AppDeps,
  origin: RequestContext,
  account: AccountRow,
  detail: Record<string, string | boolean>,
): Promise<void> {
  await recordSecurityEvent(deps, origin, {
    kind: 'login.disabled-account',
    actor: { kind: 'anonymous' },
    objectType: 'account',
    objectId: account.id,
    tenantId: account.tenant_id,
    detail: { accountId: account.id, ...detail },
  });
}
