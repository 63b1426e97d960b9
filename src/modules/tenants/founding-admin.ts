import { randomBytes, randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import type { DbOrTx } from '../../db/database.js';
import { issueToken } from '../auth/one-time-tokens.js';
import { hashPassword } from '../auth/password.js';
import { applyGrant } from '../staff/effective-role.js';
import { insertFoundingGrant } from '../staff/role-grant.repository.js';
import {
  insertAccountAwaitingApproval,
  markAwaitingActivation,
} from '../staff/staff.repository.js';
import type { Founder } from './founder.js';

/** No password until the admin chooses one: a hash of nothing anyone knows, as for any agent. */
export function placeholderPasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'));
}

/**
 * An admin account no other admin decided: awaiting activation, its admin grant approved by the
 * act itself (a new département, or a département left with fewer than two admins), and its
 * one-time activation token, returned in clear this once. Inside the caller's transaction.
 */
export async function writeFoundingAdmin(
  deps: Pick<AppDeps, 'clock'>,
  trx: DbOrTx,
  a: {
    tenantId: string;
    founder: Founder;
    passwordHash: string;
    requestedBy: string | null;
    reason: 'tenant-creation' | 'admin-recovery';
    at: string;
  },
): Promise<{ accountId: string; email: string; displayName: string; activationToken: string }> {
  const accountId = randomUUID();
  const { email, displayName } = a.founder;
  await insertAccountAwaitingApproval(
    trx,
    {
      id: accountId,
      tenantId: a.tenantId,
      email,
      displayName,
      passwordHash: a.passwordHash,
      managerId: null,
    },
    a.at,
  );
  const grantId = randomUUID();
  await insertFoundingGrant(trx, {
    id: grantId,
    tenantId: a.tenantId,
    accountId,
    requestedBy: a.requestedBy,
    reason: a.reason,
    at: a.at,
  });
  if (!(await markAwaitingActivation(trx, accountId)))
    throw new Error('a new admin account was not awaiting approval');
  await applyGrant(
    trx,
    accountId,
    { id: grantId, role: 'admin', team: null, expires_at: null },
    a.at,
  );
  const activationToken = await issueToken(deps, trx, accountId, 'activate');
  return { accountId, email, displayName, activationToken };
}
