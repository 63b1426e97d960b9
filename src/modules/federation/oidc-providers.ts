import * as client from 'openid-client';
import { isLoopbackHost, type OidcClientConfig, type OidcProviderName } from '../../config.js';
import type { AppDeps } from '../../deps.js';
import { Problem } from '../../errors.js';
import type { StartedFlow } from './oidc-flow.js';

/** What Cloison asks of each federation; only the issuer and client credentials are configured. */
export interface OidcPreset {
  readonly name: OidcProviderName;
  readonly label: string;
  /** The only kind of account this federation signs in to. */
  readonly accountKind: 'usager' | 'staff';
  readonly scope: string;
  /** `acr_values` sent with the request, and the `acr` values accepted back; null: none. */
  readonly acr: { readonly request: string; readonly accepted: readonly string[] } | null;
  /** An unlinked identity may create a usager account, when the flow was started as a sign-up. */
  readonly signup: boolean;
}

export const OIDC_PRESETS: Readonly<Record<OidcProviderName, OidcPreset>> = {
  // Usagers: the State's identity (impots.gouv, ameli…) at eIDAS low level or above.
  franceconnect: {
    name: 'franceconnect',
    label: 'FranceConnect',
    accountKind: 'usager',
    scope: 'openid email given_name family_name birthdate',
    acr: { request: 'eidas1', accepted: ['eidas1', 'eidas2', 'eidas3'] },
    signup: true,
  },
  // Agents: their professional identity. Staff accounts are created by admins, never from here.
  proconnect: {
    name: 'proconnect',
    label: 'ProConnect',
    accountKind: 'staff',
    scope: 'openid email given_name usual_name uid siret',
    acr: null,
    signup: false,
  },
};

/** The provider is not enabled on this server: the route answers like one that does not exist. */
export function providerDisabled(): Problem {
  return new Problem(
    404,
    'oidc-provider-disabled',
    'Fournisseur d’identité non activé',
    'Ce portail ne propose pas la connexion par ce fournisseur d’identité.',
  );
}

/** Discovery or the provider's endpoints could not be reached. */
export class ProviderUnavailable extends Error {
  constructor(readonly provider: OidcProviderName) {
    super(`${provider} could not be reached`);
    this.name = 'ProviderUnavailable';
  }
}

/** A discovered provider: openid-client's configuration and the issuer it answered for. */
export interface DiscoveredProvider {
  readonly preset: OidcPreset;
  readonly config: client.Configuration;
  readonly issuer: string;
}

// Discovery runs once per issuer and client, the first time someone uses the provider; a failed
// discovery is forgotten so the next attempt tries again.
const discovered = new Map<string, Promise<client.Configuration>>();

/** True when openid-client may talk plain HTTP to this issuer: loopback only (tests, local). */
export function isLoopbackHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

function discover(settings: OidcClientConfig): Promise<client.Configuration> {
  // Plain HTTP is refused by openid-client, and by config.ts for any issuer but a loopback one;
  // allowInsecureRequests is enabled for exactly that case and never otherwise.
  const insecure = isLoopbackHttp(settings.issuer) ? [client.allowInsecureRequests] : [];
  return client.discovery(
    new URL(settings.issuer),
    settings.clientId,
    settings.clientSecret,
    undefined,
    {
      timeout: 10,
      // Check ID token and signed userinfo signatures against the provider's keys, on top of the
      // TLS channel they came through.
      execute: [...insecure, client.enableNonRepudiationChecks],
    },
  );
}

/** The provider's preset and settings; throws the 404 problem when it is not enabled. */
export function enabledProvider(
  deps: Pick<AppDeps, 'config'>,
  name: OidcProviderName,
): { preset: OidcPreset; settings: OidcClientConfig } {
  const settings = deps.config.oidc[name];
  if (!settings) throw providerDisabled();
  return { preset: OIDC_PRESETS[name], settings };
}

/** Discovers (once) and returns the provider; ProviderUnavailable when it cannot be reached. */
export async function discoveredProvider(
  deps: Pick<AppDeps, 'config' | 'log'>,
  name: OidcProviderName,
): Promise<DiscoveredProvider> {
  const { preset, settings } = enabledProvider(deps, name);
  const key = `${settings.issuer}\n${settings.clientId}`;
  let pending = discovered.get(key);
  if (!pending) {
    pending = discover(settings);
    discovered.set(key, pending);
    pending.catch(() => discovered.delete(key));
  }
  try {
    const config = await pending;
    return { preset, config, issuer: config.serverMetadata().issuer };
  } catch (error) {
    deps.log.warn(
      {
        provider: name,
        err: { type: (error as Error).name, code: (error as { code?: string }).code },
      },
      'OpenID Connect discovery failed',
    );
    throw new ProviderUnavailable(name);
  }
}

/** Where the provider sends the browser back; registered at the provider as is. */
export function redirectUri(deps: Pick<AppDeps, 'publicOrigin'>, name: OidcProviderName): string {
  return `${deps.publicOrigin()}/api/v1/auth/oidc/${name}/callback`;
}

/** The provider URL that starts the flow: state, nonce, PKCE (S256) and the preset's scope. */
export function authorizationUrl(
  deps: Pick<AppDeps, 'publicOrigin'>,
  provider: DiscoveredProvider,
  flow: StartedFlow,
): string {
  return client
    .buildAuthorizationUrl(provider.config, {
      redirect_uri: redirectUri(deps, provider.preset.name),
      scope: provider.preset.scope,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: flow.codeChallenge,
      code_challenge_method: 'S256',
      ...(provider.preset.acr ? { acr_values: provider.preset.acr.request } : {}),
    })
    .toString();
}
