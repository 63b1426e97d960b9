import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import type { SessionContext } from '../request-context.js';
import {
  advancePasskeyCounter,
  clearSessionChallenge,
  findPasskeyOfAccount,
  findSessionChallenge,
  listPasskeysOf,
  storeSessionChallenge,
} from './passkey.repository.js';

const CHALLENGE_TTL_MS = 5 * 60_000;
type Ceremony = 'register' | 'authenticate';

/** The relying party is the public origin: a passkey made for it signs for nothing else. */
function relyingParty(deps: AppDeps): { origin: string; rpID: string } {
  const origin = deps.publicOrigin();
  return { origin, rpID: new URL(origin).hostname };
}

/** Stores the challenge on the session: one ceremony at a time, good for 5 minutes. */
async function storeChallenge(
  deps: AppDeps,
  ctx: SessionContext,
  challenge: string,
  purpose: Ceremony,
): Promise<void> {
  const expires = new Date(deps.clock.now().getTime() + CHALLENGE_TTL_MS).toISOString();
  await storeSessionChallenge(deps.db, ctx.session!.idHash, {
    value: challenge,
    purpose,
    expiresAt: expires,
  });
}

/** Takes the session's challenge for this ceremony: cleared whatever happens next (single use). */
async function takeChallenge(
  deps: AppDeps,
  ctx: SessionContext,
  purpose: Ceremony,
): Promise<string | null> {
  const row = await findSessionChallenge(deps.db, ctx.session!.idHash, purpose);
  if (!row?.challenge || !row.challenge_expires_at) return null;
  // Conditional on the value read: of two requests racing for one challenge, one gets it.
  if (!(await clearSessionChallenge(deps.db, ctx.session!.idHash, row.challenge))) return null;
  return row.challenge_expires_at > deps.clock.now().toISOString() ? row.challenge : null;
}

function transportsOf(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
}

/** WebAuthn options for a new passkey of the account; its challenge is kept on the session. */
export async function registrationOptions(deps: AppDeps, ctx: SessionContext, account: AccountRow) {
  const { rpID } = relyingParty(deps);
  const existing = await listPasskeysOf(deps.db, account.id);
  const options = await generateRegistrationOptions({
    rpName: 'Cloison',
    rpID,
    userName: account.email,
    userDisplayName: account.display_name,
    // The account id (a random UUID) as the user handle: nothing personal in the authenticator.
    userID: new TextEncoder().encode(account.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await storeChallenge(deps, ctx, options.challenge, 'register');
  return options;
}

/** Verifies a registration and returns the credential to store, or null when it fails. */
export async function verifyRegistration(
  deps: AppDeps,
  ctx: SessionContext,
  response: RegistrationResponseJSON,
) {
  const challenge = await takeChallenge(deps, ctx, 'register');
  if (!challenge) return null;
  const { origin, rpID } = relyingParty(deps);
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      // Second factor after a password: possession is what is proven; PIN/biometrics welcome.
      requireUserVerification: false,
    });
    return result.verified ? result.registrationInfo.credential : null;
  } catch {
    return null;
  }
}

/** WebAuthn options for an assertion by one of the account's passkeys, challenge on the session. */
export async function authenticationOptions(deps: AppDeps, ctx: SessionContext, accountId: string) {
  const { rpID } = relyingParty(deps);
  const existing = await listPasskeysOf(deps.db, accountId);
  const options = await generateAuthenticationOptions({
    rpID,
    allowCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
    userVerification: 'preferred',
  });
  await storeChallenge(deps, ctx, options.challenge, 'authenticate');
  return options;
}

/**
 * Verifies an assertion by one of the account's passkeys and advances its signature counter;
 * a counter that does not move forward (a cloned authenticator) fails. Returns the credential
 * id used, or null.
 */
export async function verifyAuthentication(
  deps: AppDeps,
  ctx: SessionContext,
  accountId: string,
  response: AuthenticationResponseJSON,
): Promise<string | null> {
  const challenge = await takeChallenge(deps, ctx, 'authenticate');
  if (!challenge) return null;
  const stored = await findPasskeyOfAccount(deps.db, accountId, response.id);
  if (!stored) return null;
  const { origin, rpID } = relyingParty(deps);
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: stored.id,
        publicKey: new Uint8Array(stored.public_key),
        counter: stored.sign_count,
        transports: transportsOf(stored.transports) as never,
      },
      requireUserVerification: false,
    });
    if (!result.verified) return null;
    // Conditional on the counter read: two racing uses of one assertion cannot both pass.
    const advanced = await advancePasskeyCounter(
      deps.db,
      stored.id,
      { from: stored.sign_count, to: result.authenticationInfo.newCounter },
      deps.clock.now().toISOString(),
    );
    return advanced ? stored.id : null;
  } catch {
    return null;
  }
}
