import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { findAccountById } from '../auth/account.repository.js';
import { clearFailures, takeAttempt } from '../auth/login-throttle.js';
import { raiseSession } from '../auth/sign-in.js';
import { spendRecoveryCode } from './recovery-codes.js';
import { countRecoveryCodesLeft } from './recovery-code.repository.js';
import { authenticationOptions, verifyAuthentication } from './passkeys.js';
import { totpStep } from './totp.js';
import { advanceTotpStep, findTotpCredential } from './totp.repository.js';
import { hasRecentSecondFactor } from './recent-second-factor.js';

/** The per-account lock of logins also counts second-factor failures, under its own subject. */
const throttleSubject = (accountId: string) => `second-factor:${accountId}`;

/** The account of a session whose second factor is due. */
async function pendingAccount(deps: AppDeps, request: FastifyRequest, actor: Actor) {
  if (actor.kind === 'anonymous' || actor.kind === 'integration' || !request.session)
    throw problems.unauthenticated();
  const account = await findAccountById(deps.db, actor.accountId);
  if (!account) throw problems.unauthenticated();
  // Due after the password, or proven too long ago to vouch for a credential change (step-up).
  if (account.mfa_enrolled_at === null || hasRecentSecondFactor(deps, request)) {
    throw problems.conflict('no-second-factor-due', 'Aucun second facteur n’est attendu.');
  }
  await takeAttempt(deps, throttleSubject(account.id));
  return account;
}

async function refuse(
  deps: AppDeps,
  request: FastifyRequest,
  actor: Actor,
  account: AccountRow,
  method: string,
  replayed = false,
): Promise<never> {
  await recordSecurityEvent(deps, request, {
    kind: replayed ? 'second-factor.replayed' : 'second-factor.failed',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { method },
  });
  throw problems.badSecondFactor();
}

/** Opens the TOTP secret of an account (sealed under its tenant's credential secret). */
export async function totpSecretOf(deps: AppDeps, account: AccountRow, confirmedOnly: boolean) {
  if (account.tenant_id === null) return null;
  const row = await findTotpCredential(deps.db, account.id, confirmedOnly);
  if (!row) return null;
  const secret = await deps.vault.openCredential(
    deps.db,
    account.tenant_id,
    sealedField.totpSecret(account.id),
    row.secret_enc,
  );
  return { secret, lastStep: row.last_step };
}

/**
 * Accepts a TOTP code once: the step is recorded with a conditional update, so the same code
 * (or an older one) never passes twice, even from two requests at the same instant.
 */
export async function acceptTotp(
  deps: AppDeps,
  account: AccountRow,
  code: string,
  confirmedOnly: boolean,
): Promise<'ok' | 'wrong' | 'replayed'> {
  const stored = await totpSecretOf(deps, account, confirmedOnly);
  if (!stored) return 'wrong';
  const step = totpStep(stored.secret, code, deps.clock.now());
  stored.secret.fill(0);
  if (step === null) return 'wrong';
  return (await advanceTotpStep(deps.db, account.id, step)) ? 'ok' : 'replayed';
}

export async function verifyTotp(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  code: string,
): Promise<void> {
  const account = await pendingAccount(deps, request, actor);
  const outcome = await acceptTotp(deps, account, code, true);
  if (outcome !== 'ok') await refuse(deps, request, actor, account, 'totp', outcome === 'replayed');
  await clearFailures(deps, throttleSubject(account.id));
  await raiseSession(deps, request, reply, account, 'totp');
}

export async function verifyRecoveryCode(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  code: string,
): Promise<{ recoveryCodesLeft: number }> {
  const account = await pendingAccount(deps, request, actor);
  const now = deps.clock.now().toISOString();
  if (!(await spendRecoveryCode(deps.db, account.id, code, now))) {
    await refuse(deps, request, actor, account, 'recovery-code');
  }
  await clearFailures(deps, throttleSubject(account.id));
  await raiseSession(deps, request, reply, account, 'recovery-code');
  return { recoveryCodesLeft: await countRecoveryCodesLeft(deps.db, account.id) };
}

export async function passkeyChallenge(deps: AppDeps, request: FastifyRequest, actor: Actor) {
  const account = await pendingAccount(deps, request, actor);
  return authenticationOptions(deps, request, account.id);
}

export async function verifyPasskey(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  response: AuthenticationResponseJSON,
): Promise<void> {
  const account = await pendingAccount(deps, request, actor);
  const used = await verifyAuthentication(deps, request, account.id, response);
  if (used === null) await refuse(deps, request, actor, account, 'passkey');
  await clearFailures(deps, throttleSubject(account.id));
  await raiseSession(deps, request, reply, account, 'passkey');
}
