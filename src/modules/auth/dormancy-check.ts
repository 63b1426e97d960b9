import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { disableAccounts, dormancyCutoff, isDormant } from '../accounts/account-lifecycle.js';
import { findAccountById } from './account.repository.js';

/**
 * Every first factor (password, OpenID Connect) applies the dormancy rule before it may open a
 * session: a staff account unused for CLOISON_DORMANT_DAYS is disabled now, not at the job's next
 * run. Returns the account as it stands afterwards (disabled, if it was dormant).
 */
export async function disableIfDormant(
  deps: AppDeps,
  request: FastifyRequest,
  account: AccountRow,
): Promise<AccountRow> {
  if (!isDormant(account, dormancyCutoff(deps))) return account;
  await disableAccounts(deps.db, [account.id], 'dormant', deps.clock.now().toISOString());
  await recordSecurityEvent(deps, request, {
    kind: 'account.disabled',
    actor: { kind: 'anonymous' },
    objectType: 'account',
    objectId: account.id,
    detail: { reason: 'dormant' },
  });
  return (await findAccountById(deps.db, account.id)) ?? account;
}
