import type { OidcProviderName } from '../../config.js';
import type { AppDeps } from '../../deps.js';
import type { Actor } from '../../policy/actor.js';
import type { RequestContext } from '../request-context.js';
import { recordSecurityEvent } from '../events/security-events.js';
import type { FlowRefusal } from './oidc-flow.js';

/** Why a federated flow was refused: the slug the browser is sent back with, and the event's. */
export type RefusalReason =
  | FlowRefusal
  /** The provider could not be reached (discovery, token or userinfo endpoint). */
  | 'provider-unavailable'
  /** The provider answered with an error (the person cancelled, consent refused…). */
  | 'provider-error'
  /** Code exchange or ID token validation failed (issuer, audience, nonce, expiry, signature). */
  | 'token-invalid'
  /** The provider proved the identity below the level asked for. */
  | 'acr-insufficient'
  /** No account is linked to this identity (and the flow was not a sign-up). */
  | 'not-linked'
  /** Sign-up: the e-mail is already an account's, which must sign in and link instead. */
  | 'email-in-use'
  /** Sign-up: the provider did not give the e-mail, names and birth date an account needs. */
  | 'identity-incomplete'
  | 'signup-unavailable'
  | 'unknown-tenant'
  /** The linked account is disabled, or dormant and disabled now. */
  | 'account-disabled'
  | 'wrong-account-kind'
  /** Link: the identity is another account's, or this account has one of this provider. */
  | 'link-conflict';

/** Refusal of a federated flow, turned into a redirect and a security event by `refusalLocation`. */
export class FederationRefusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    /** Hashes and codes only: never an e-mail, a name or a `sub` in clear. */
    readonly detail: Record<string, string> = {},
  ) {
    super(reason);
    this.name = 'FederationRefusal';
  }
}

/**
 * Records the refusal, as `actor` (whoever the request came as), and returns where to send the
 * browser: the web UI shows the reason. Any other error is rethrown (a bug or the database: a
 * 500 problem, not a polite redirect).
 */
export async function refusalLocation(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  context: { provider: OidcProviderName; purpose: 'login' | 'link'; accountId?: string | null },
  error: unknown,
): Promise<string> {
  if (!(error instanceof FederationRefusal)) throw error;
  await recordSecurityEvent(deps, origin, {
    kind: 'oidc.refused',
    actor,
    objectType: context.accountId ? 'account' : null,
    objectId: context.accountId ?? null,
    detail: { provider: context.provider, reason: error.reason, ...error.detail },
  });
  return `/?${context.purpose}=failed&reason=${error.reason}`;
}
