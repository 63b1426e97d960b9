import { endSessionsAndTokens } from './account-credentials.js';
import type { AppDeps } from '../../deps.js';
import type { Actor } from '../../policy/actor.js';
import { authorize } from '../../policy/authorize.js';
import { unsafeRowExists } from '../../db/unsafe-exists.js';
import { recordSecurityEvent } from '../events/security-events.js';
import type { FastifyRequest } from 'fastify';
import { disableAccounts } from './account-lifecycle.js';

/** Loads an account of the admin's own tenant and authorizes the action on it. */
async function requireAccount(
  deps: AppDeps,
  actor: Actor,
  action: 'account.disable' | 'account.endSessions',
  accountId: string,
) {
  const row =
    actor.kind === 'staff'
      ? await deps.db
          .selectFrom('accounts')
          .select(['id', 'tenant_id'])
          .where('id', '=', accountId)
          .where('tenant_id', '=', actor.tenantId)
          .executeTakeFirst()
      : undefined;
  const resource = row ? { type: 'account' as const, id: row.id, tenantId: row.tenant_id } : null;
  const existsOutOfScope = row ? false : await unsafeRowExists(deps.db, 'accounts', accountId);
  authorize(actor, action, resource, { type: 'account', id: accountId, existsOutOfScope });
  return resource;
}

/** Offboarding: the account is disabled and every session of it ends now. */
export async function disableAccount(
  deps: AppDeps,
  actor: Actor,
  request: FastifyRequest,
  accountId: string,
): Promise<void> {
  const account = await requireAccount(deps, actor, 'account.disable', accountId);
  await deps.db
    .transaction()
    .execute((trx) =>
      disableAccounts(trx, [account.id], 'offboarded', deps.clock.now().toISOString()),
    );
  await recordSecurityEvent(deps, request, {
    kind: 'account.disabled',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { reason: 'offboarded' },
  });
}

/** Ends every session of the account (a lost phone, a shared screen); the account stays. */
export async function endSessions(
  deps: AppDeps,
  actor: Actor,
  request: FastifyRequest,
  accountId: string,
): Promise<void> {
  const account = await requireAccount(deps, actor, 'account.endSessions', accountId);
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute((trx) => endSessionsAndTokens(trx, [account.id], at));
  await recordSecurityEvent(deps, request, {
    kind: 'account.sessions-ended',
    actor,
    objectType: 'account',
    objectId: account.id,
  });
}
