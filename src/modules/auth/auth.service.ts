import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { BrowserContext, BrowserCookies } from '../request-context.js';
import { actorFromAccount } from './account-actor.js';
import { signIn, type SignInOutcome } from './sign-in.js';
import { nextStep, type SecondFactorState } from '../mfa/second-factor-state.js';
import type { Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { findAccountByEmail, findAccountById } from './account.repository.js';
import { verifyPassword } from './password.js';
import { clearFailures, takeAttempt } from './login-throttle.js';
import { applyLifecycleAtSignIn, recordDisabledAccountAttempt } from './dormancy-check.js';
import { normaliseEmail } from '../self-service/email-address.js';
import { deviceTokenOf, signInSubject } from './trusted-devices.js';

/** Checks credentials and opens a session. Every failure answers the same 401. */
export async function logIn(
  deps: AppDeps,
  ctx: BrowserContext,
  email: string,
  password: string,
): Promise<SignInOutcome> {
  // Per account, whoever asks and from wherever (the per-address limit is the route's); a
  // browser that signed in to this account before has its own count.
  const { found, subject, trusted } = await loginAttempt(deps, ctx.cookies, email);
  await takeAttempt(deps, subject);
  // Dormancy and a role past its end apply now, whatever the jobs did: the login fails below.
  const account = found && (await applyLifecycleAtSignIn(deps, ctx, found));
  const ok = await verifyPassword(account?.password_hash ?? null, password);
  if (account && account.status !== 'active') {
    // Same answer as a wrong password; the event is the signal (the alerting issue uses it).
    await recordDisabledAccountAttempt(deps, ctx, account, { passwordMatched: ok });
  }
  // A usager whose address is not verified yet is refused exactly like a wrong password, even
  // with the right one: a distinct answer would tell whoever signed up with an address whether
  // it already had an account (their sign-up created none, so their password fails).
  const unverified = account?.kind === 'usager' && account.email_verified_at === null;
  const actor = account && ok && !unverified ? actorFromAccount(account) : null;
  if (!account || !ok || actor === null || actor.kind === 'anonymous') {
    await recordSecurityEvent(deps, ctx, {
      kind: 'login.failed',
      actor: { kind: 'anonymous' },
      // The account id, never the e-mail typed: events must not collect who tried what.
      detail: account
        ? {
            accountId: account.id,
            ...(unverified ? { unverified: true } : {}),
            ...(trusted ? { knownDevice: true } : {}),
          }
        : { unknownAccount: true },
    });
    throw problems.badCredentials();
  }
  await clearFailures(deps, subject);
  return signIn(deps, ctx, account, 'password');
}

/** The account an e-mail names, if any, and the throttling subject of this attempt on it. */
async function loginAttempt(deps: AppDeps, cookies: Pick<BrowserCookies, 'get'>, email: string) {
  const typed = normaliseEmail(email);
  const found = await findAccountByEmail(deps.db, typed);
  const device = deviceTokenOf(cookies);
  return { found, ...(await signInSubject(deps, device, found?.id ?? null, typed)) };
}

/**
 * Whether a login request comes from a browser that signed in to the typed account before: it is
 * then spared the per-address limit, which on a shared address (a town hall, a NAT, loopback)
 * would otherwise let a stranger's guesses lock everyone out. Its own per-device count applies.
 */
export async function isKnownDeviceLogin(
  deps: AppDeps,
  cookies: Pick<BrowserCookies, 'get'>,
  email: string,
): Promise<boolean> {
  return (await loginAttempt(deps, cookies, email)).trusted;
}

/** The signed-in account, as the UI needs it. */
export async function describeMe(deps: AppDeps, actor: Actor, state: SecondFactorState) {
  // An integration token has no account to describe; its role gate refuses it before this.
  if (actor.kind === 'anonymous' || actor.kind === 'integration') throw problems.unauthenticated();
  const account = await findAccountById(deps.db, actor.accountId);
  if (!account) throw problems.unauthenticated();
  return {
    id: account.id,
    kind: account.kind,
    // Before the second factor a session learns who it is, not what it may do.
    role: state === 'done' ? account.role : null,
    tenantId: state === 'done' ? account.tenant_id : null,
    displayName: account.display_name,
    email: account.email,
    secondFactor: nextStep(state),
  };
}
