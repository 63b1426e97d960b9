import * as client from 'openid-client';
import type { AppDeps } from '../../deps.js';
import type { BrowserContext } from '../request-context.js';
import type { DiscoveredProvider } from './oidc-providers.js';
import { redirectUri } from './oidc-providers.js';
import type { OidcFlow } from './oidc-flow.js';
import { FederationRefusal } from './refusal.js';
import { subjectHash } from './identity.repository.js';

/** The identity a provider vouched for at the end of a flow. */
export interface ProvenIdentity {
  readonly sub: string;
  /** SHA-256(issuer, sub): what is stored and what events may carry. */
  readonly subjectHash: string;
  readonly accessToken: string;
}

/** True when the provider could not be reached at all (network, timeout), not when it refused. */
function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (error instanceof TypeError && error.message === 'fetch failed') ||
    code === 'OAUTH_TIMEOUT' ||
    code === 'OAUTH_ABORT'
  );
}

function failure(deps: AppDeps, step: string, error: unknown): FederationRefusal {
  // Class and code only: openid-client's messages and causes can quote tokens and claims.
  deps.log.warn(
    { step, err: { type: (error as Error)?.name, code: (error as { code?: string })?.code } },
    'OpenID Connect exchange failed',
  );
  return new FederationRefusal(isUnreachable(error) ? 'provider-unavailable' : 'token-invalid', {
    step,
  });
}

/**
 * Redeems the authorization code with the flow's PKCE verifier, and lets openid-client validate
 * the response and the ID token: state, issuer (`iss` parameter and claim), audience, nonce,
 * expiry and signature. Then checks the assurance level the preset asks for.
 */
export async function exchangeCode(
  deps: AppDeps,
  ctx: Pick<BrowserContext, 'url'>,
  provider: DiscoveredProvider,
  flow: OidcFlow,
  codeVerifier: string,
  state: string,
): Promise<ProvenIdentity> {
  // The URL the provider redirected to, rebuilt from the configured origin (never the Host
  // header) and the query exactly as received.
  const current = new URL(redirectUri(deps, provider.preset.name));
  const question = ctx.url.indexOf('?');
  current.search = question === -1 ? '' : ctx.url.slice(question);
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(provider.config, current, {
      pkceCodeVerifier: codeVerifier,
      expectedNonce: flow.nonce,
      expectedState: state,
      idTokenExpected: true,
    });
  } catch (error) {
    throw failure(deps, 'token', error);
  }
  const claims = tokens.claims();
  if (!claims) throw new FederationRefusal('token-invalid', { step: 'id-token' });
  const hash = subjectHash(provider.issuer, claims.sub);
  const acr = provider.preset.acr;
  if (acr && !acr.accepted.includes(String(claims.acr ?? ''))) {
    throw new FederationRefusal('acr-insufficient', { subject: hash });
  }
  return { sub: claims.sub, subjectHash: hash, accessToken: tokens.access_token };
}

/** The provider's claims about the person (userinfo), for the subject the ID token named. */
export async function fetchClaims(
  deps: AppDeps,
  provider: DiscoveredProvider,
  identity: ProvenIdentity,
): Promise<Record<string, unknown>> {
  try {
    return await client.fetchUserInfo(provider.config, identity.accessToken, identity.sub);
  } catch (error) {
    throw failure(deps, 'userinfo', error);
  }
}
