import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { findAccountById } from './account.repository.js';
import { assertNotLocked, clearFailures, recordFailure } from './login-throttle.js';
import { verifyPassword } from './password.js';

/**
 * Asks the signed-in account for its current password again before a change of credentials (a
 * session left open is not enough). A wrong password counts towards the account's lock, like a
 * failed login. Returns the account row.
 */
export async function reauthenticate(
  deps: AppDeps,
  request: FastifyRequest,
  actor: Actor,
  currentPassword: string,
): Promise<AccountRow> {
  if (actor.kind === 'anonymous') throw problems.unauthenticated();
  const account = await findAccountById(deps.db, actor.accountId);
  if (!account) throw problems.unauthenticated();
  await assertNotLocked(deps, account.email);
  if (!(await verifyPassword(account.password_hash, currentPassword))) {
    await recordFailure(deps, account.email);
    await recordSecurityEvent(deps, request, {
      kind: 'login.failed',
      actor,
      detail: { reauth: true },
    });
    throw problems.badCredentials();
  }
  await clearFailures(deps, account.email);
  return account;
}
