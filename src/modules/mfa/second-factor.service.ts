import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import type { BrowserContext, RequestContext, SessionContext } from '../request-context.js';
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
async function pendingAccount(deps: AppDeps, ctx: SessionContext, actor: Actor) {
  if (actor.kind === 'anonymous' || actor.kind === 'integration' || !ctx.session)
    throw problems.unauthenticated();
  const account = await findAccountById(deps.db, actor.accountId);
  if (!account) throw problems.unauthenticated();
  // Due after the password, or proven too long ago to vouch for a credential change (step-up).
  if (account.mfa_enrolled_at === null || hasRecentSecondFactor(deps, ctx)) {
    throw problems.conflict('no-second-factor-due', 'Aucun second facteur n’est attendu.');
  }
  await takeAttempt(deps, throttleSubject(account.id));
  return account;
}

async function refuse(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  account: AccountRow,
  method: string,
  replayed = false,
): Promise<never> {
  await recordSecurityEvent(deps, origin, {
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

/** Completes or steps up the session with a TOTP code; a wrong or replayed one is recorded. */
export async function verifyTotp(
  deps: AppDeps,
  ctx: BrowserContext,
  actor: Actor,
  code: string,
): Promise<void> {
  const account = await pendingAccount(deps, ctx, actor);
  const outcome = await acceptTotp(deps, account, code, true);
  if (outcome !== 'ok') await refuse(deps, ctx, actor, account, 'totp', outcome === 'replayed');
  await clearFailures(deps, throttleSubject(account.id));
  await raiseSession(deps, ctx, account, 'totp');
}

/** Completes or steps up the session with a recovery code, spent once; says how many are left. */
export async function verifyRecoveryCode(
  deps: AppDeps,
  ctx: BrowserContext,
  actor: Actor,
  code: string,
): Promise<{ recoveryCodesLeft: number }> {
  const account = await pendingAccount(deps, ctx, actor);
  const now = deps.clock.now().toISOString();
  if (!(await spendRecoveryCode(deps.db, account.id, code, now))) {
    await refuse(deps, ctx, actor, account, 'recovery-code');
  }
  await clearFailures(deps, throttleSubject(account.id));
  await raiseSession(deps, ctx, account, 'recovery-code');
  return { recoveryCodesLeft: await countRecoveryCodesLeft(deps.db, account.id) };
}

/** A WebAuthn challenge for the passkeys of the session's account, kept on the session. */
export async function passkeyChallenge(deps: AppDeps, ctx: SessionContext, actor: Actor) {
  const account = await pendingAccount(deps, ctx, actor);
  return authenticationOptions(deps, ctx, account.id);
}

/** Completes or steps up the session with a passkey assertion for the session's challenge. */
export async function verifyPasskey(
  deps: AppDeps,
  ctx: BrowserContext,
  actor: Actor,
  response: AuthenticationResponseJSON,
): Promise<void> {
  const account = await pendingAccount(deps, ctx, actor);
  const used = await verifyAuthentication(deps, ctx, account.id, response);
  if (used === null) await refuse(deps, ctx, actor, account, 'passkey');
  await clearFailures(deps, throttleSubject(account.id));
  await raiseSession(deps, ctx, account, 'passkey');
}
