import type { Action } from '../../policy/actions.js';

/**
 * Where a session stands with the second factor:
 * - `done`: nothing more to prove (verified in this session, or a usager without any factor);
 * - `due`: the account has a factor and this session has not used it yet;
 * - `enroll`: a staff or operator account without any factor: it must register one first.
 */
export type SecondFactorState = 'done' | 'due' | 'enroll';

/** Staff and operators must have a second factor (THREATS.md T5); usagers may. */
export function mustHaveSecondFactor(kind: string): boolean {
  return kind === 'staff' || kind === 'operateur';
}

export function secondFactorState(
  account: { kind: string; mfa_enrolled_at: string | null },
  session: { mfaAt: string | null },
): SecondFactorState {
  if (session.mfaAt !== null) return 'done';
  if (account.mfa_enrolled_at !== null) return 'due';
  return mustHaveSecondFactor(account.kind) ? 'enroll' : 'done';
}

/**
 * What a session may do before its second factor. While it is due, only prove it: adding a
 * factor with the password alone would let a stolen password mint its own second factor. While
 * enrolling, only register one (the password is asked again for that).
 */
export const ALLOWED_BEFORE_SECOND_FACTOR: Record<
  Exclude<SecondFactorState, 'done'>,
  ReadonlySet<Action>
> = {
  due: new Set<Action>(['me.read', 'mfa.verify']),
  enroll: new Set<Action>(['me.read', 'mfa.manage']),
};

/** What the login answer tells the client to do next. */
export function nextStep(state: SecondFactorState): 'done' | 'second-factor' | 'enroll' {
  return state === 'due' ? 'second-factor' : state;
}
