import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import type { BrowserContext } from '../request-context.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { touchLastLogin } from './account.repository.js';
import { actorFromAccount } from './account-actor.js';
import { deviceHash, openSession, type SessionFacts } from './sessions.js';
import { listOtherLiveSessionDevices } from './session.repository.js';
import { nextStep, secondFactorState } from '../mfa/second-factor-state.js';
import { rememberThisBrowser } from './trusted-devices.js';

/** What the client must do after the first factor. */
export interface SignInOutcome {
  readonly next: 'done' | 'second-factor' | 'enroll';
}

/**
 * The one place a first factor (password, OpenID Connect, account activation) turns into a
 * session. Every sign-in path calls it once the account is known to be active and the factor
 * verified, so what follows holds for all: a staff session can do nothing but prove or enroll
 * a second factor until it has; the sign-in only counts (dormancy clock, login event) once
 * the session is complete.
 */
export async function signIn(
  deps: AppDeps,
  ctx: BrowserContext,
  account: AccountRow,
  firstFactor: SessionFacts['firstFactor'],
): Promise<SignInOutcome> {
  await openSession(deps, ctx, account.id, { firstFactor, mfaAt: null });
  const next = nextStep(secondFactorState(account, { mfaAt: null }));
  if (next === 'done') {
    await completeSignIn(deps, ctx, account, { firstFactor, secondFactor: null });
  } else {
    await recordSecurityEvent(deps, ctx, {
      kind: 'login.first-factor',
      actor: actorFromAccount(account),
      detail: { firstFactor, next },
    });
  }
  return { next };
}

/**
 * The second factor was just proven (or registered): the session is replaced by a new one, a
 * new id for the raised privilege, and the sign-in completes.
 */
export async function raiseSession(
  deps: AppDeps,
  ctx: BrowserContext,
  account: AccountRow,
  secondFactor: 'totp' | 'passkey' | 'recovery-code',
): Promise<void> {
  const firstFactor = ctx.session?.firstFactor ?? 'password';
  const wasComplete = ctx.secondFactor === 'done';
  await openSession(deps, ctx, account.id, {
    firstFactor,
    mfaAt: deps.clock.now().toISOString(),
  });
  if (!wasComplete) await completeSignIn(deps, ctx, account, { firstFactor, secondFactor });
}

async function completeSignIn(
  deps: AppDeps,
  ctx: BrowserContext,
  account: AccountRow,
  how: { firstFactor: string; secondFactor: string | null },
): Promise<void> {
  const now = deps.clock.now();
  await touchLastLogin(deps.db, account.id, now.toISOString());
  // Only once every factor is proven: a stolen password alone makes no browser "known".
  await rememberThisBrowser(deps, ctx.cookies, account.id);
  const actor = actorFromAccount(account);
  await recordSecurityEvent(deps, ctx, {
    kind: 'login.succeeded',
    actor,
    detail: { firstFactor: how.firstFactor, secondFactor: how.secondFactor ?? 'none' },
  });
  if (account.kind !== 'staff' && account.kind !== 'operateur') return;
  // One person, one place: the same staff account live on another device is a signal for the
  // alerting issue (a shared account, or a stolen one).
  const idleCutoff = new Date(now.getTime() - deps.config.sessionIdleMinutes * 60_000);
  const others = await listOtherLiveSessionDevices(deps.db, account.id, {
    now: now.toISOString(),
    idleCutoff: idleCutoff.toISOString(),
    deviceHash: deviceHash(ctx),
  });
  if (others.length > 0) {
    await recordSecurityEvent(deps, ctx, {
      kind: 'session.concurrent',
      actor,
      objectType: 'account',
      objectId: account.id,
      detail: { otherDevices: new Set(others.map((o) => o.device_hash)).size },
    });
  }
}
