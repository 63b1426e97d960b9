import { OIDC_PROVIDERS, type OidcProviderName } from '../../config.js';
import type { AppDeps } from '../../deps.js';
import type { Actor } from '../../policy/actor.js';
import type { BrowserContext } from '../request-context.js';
import { actorFromAccount } from '../auth/account-actor.js';
import { findAccountById } from '../auth/account.repository.js';
import { applyLifecycleAtSignIn, recordDisabledAccountAttempt } from '../auth/dormancy-check.js';
import { signIn } from '../auth/sign-in.js';
import {
  OIDC_PRESETS,
  ProviderUnavailable,
  authorizationUrl,
  discoveredProvider,
  enabledProvider,
  type DiscoveredProvider,
} from './oidc-providers.js';
import { clearBinding, createFlow, takeFlow, type OidcFlow } from './oidc-flow.js';
import { exchangeCode, type ProvenIdentity } from './oidc-exchange.js';
import { signUpFromIdentity } from './federated-signup.js';
import { completeLink } from './identity-link.service.js';
import { findLinkedAccountId, touchIdentity } from './identity.repository.js';
import { FederationRefusal, refusalLocation } from './refusal.js';
import { findTenantByCode } from '../tenants/tenant.repository.js';

async function discoveredOrRefused(deps: AppDeps, name: OidcProviderName) {
  try {
    return await discoveredProvider(deps, name);
  } catch (error) {
    if (error instanceof ProviderUnavailable) throw new FederationRefusal('provider-unavailable');
    throw error;
  }
}

/**
 * GET …/start: sends the browser to the provider with state, nonce and PKCE, the flow recorded
 * server-side and bound to this browser. `signup` (a département code, FranceConnect only) lets
 * an identity nobody has linked create a usager account there.
 */
export async function startSignIn(
  deps: AppDeps,
  ctx: BrowserContext,
  actor: Actor,
  name: OidcProviderName,
  signup: string | undefined,
): Promise<string> {
  const { preset } = enabledProvider(deps, name);
  try {
    let tenantId: string | null = null;
    if (signup !== undefined) {
      if (!preset.signup) throw new FederationRefusal('signup-unavailable');
      const tenant = await findTenantByCode(deps.db, signup);
      if (!tenant) throw new FederationRefusal('unknown-tenant');
      tenantId = tenant.id;
    }
    const provider = await discoveredOrRefused(deps, name);
    const flow = await createFlow(deps, ctx.cookies, {
      provider: name,
      intent: tenantId ? 'signup' : 'login',
      accountId: null,
      tenantId,
    });
    return authorizationUrl(deps, provider, flow);
  } catch (error) {
    return refusalLocation(deps, ctx, actor, { provider: name, purpose: 'login' }, error);
  }
}

/** GET …/callback: finishes the flow the browser started, whatever its intent. */
export async function finishFlow(
  deps: AppDeps,
  ctx: BrowserContext,
  actor: Actor,
  name: OidcProviderName,
  query: { state?: string; error?: string },
): Promise<string> {
  enabledProvider(deps, name);
  clearBinding(ctx.cookies);
  const taken = await takeFlow(deps, ctx.cookies, name, query.state);
  const flow = 'flow' in taken ? taken.flow : null;
  const context = {
    provider: name,
    purpose: flow?.intent === 'link' ? ('link' as const) : ('login' as const),
    accountId: flow?.account_id ?? null,
  };
  try {
    if ('refused' in taken) throw new FederationRefusal(taken.refused);
    if (query.error !== undefined) {
      const code = /^[a-z_]{1,64}$/.test(query.error) ? query.error : 'other';
      throw new FederationRefusal('provider-error', { error: code });
    }
    const provider = await discoveredOrRefused(deps, name);
    const identity = await exchangeCode(
      deps,
      ctx,
      provider,
      taken.flow,
      taken.codeVerifier,
      query.state ?? '',
    );
    if (taken.flow.intent === 'link') return await completeLink(deps, ctx, taken.flow, identity);
    return await completeSignIn(deps, ctx, provider, taken.flow, identity);
  } catch (error) {
    return refusalLocation(deps, ctx, actor, context, error);
  }
}

async function completeSignIn(
  deps: AppDeps,
  ctx: BrowserContext,
  provider: DiscoveredProvider,
  flow: OidcFlow,
  identity: ProvenIdentity,
): Promise<string> {
  const name = provider.preset.name;
  const subject = { subject: identity.subjectHash };
  // The link decides, and nothing else: an unlinked identity never signs in to an account whose
  // e-mail it carries (that would be a takeover by whoever controls that provider account).
  let accountId = await findLinkedAccountId(deps.db, name, identity.subjectHash);
  if (!accountId) {
    if (flow.intent !== 'signup' || !flow.tenant_id)
      throw new FederationRefusal('not-linked', subject);
    accountId = await signUpFromIdentity(deps, ctx, provider, flow.tenant_id, identity);
  }
  const found = await findAccountById(deps.db, accountId);
  if (!found) throw new FederationRefusal('not-linked', subject);
  if (found.kind !== provider.preset.accountKind) {
    throw new FederationRefusal('wrong-account-kind', subject);
  }
  // The same rules as a password login: dormant staff is disabled now, disabled is refused.
  const account = await applyLifecycleAtSignIn(deps, ctx, found);
  if (account.status !== 'active' || actorFromAccount(account).kind === 'anonymous') {
    await recordDisabledAccountAttempt(deps, ctx, account, {
      firstFactor: 'oidc',
      provider: name,
    });
    throw new FederationRefusal('account-disabled', subject);
  }
  await touchIdentity(deps.db, account.id, name, deps.clock.now().toISOString());
  // A first factor only: signIn leaves the second factor to be proven (staff MFA still applies).
  const outcome = await signIn(deps, ctx, account, 'oidc');
  return `/?login=${outcome.next}`;
}

/** GET /auth/oidc/providers: the federations this server offers, for the sign-in page. */
export function enabledProviders(deps: AppDeps) {
  return {
    items: OIDC_PROVIDERS.filter((name) => deps.config.oidc[name] !== null).map((name) => ({
      name,
      label: OIDC_PRESETS[name].label,
      accountKind: OIDC_PRESETS[name].accountKind,
      signup: OIDC_PRESETS[name].signup,
    })),
  };
}
