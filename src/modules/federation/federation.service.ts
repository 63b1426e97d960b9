import * as client from 'openid-client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OidcProviderName } from '../../config.js';
import type { AppDeps } from '../../deps.js';
import { NotFound, Problem } from '../../errors.js';
import { actorFromAccount } from '../../http/session.js';
import type { Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { findAccountById } from '../auth/account.repository.js';
import { disableIfDormant } from '../auth/dormancy-check.js';
import { reauthenticate } from '../auth/reauthenticate.js';
import { signIn } from '../auth/sign-in.js';
import {
  OIDC_PRESETS,
  ProviderUnavailable,
  discoveredProvider,
  enabledProvider,
  redirectUri,
  type DiscoveredProvider,
} from './oidc-providers.js';
import {
  clearBinding,
  createFlow,
  takeFlow,
  type OidcFlow,
  type StartedFlow,
} from './oidc-flow.js';
import { exchangeCode, type ProvenIdentity } from './oidc-exchange.js';
import { signUpFromIdentity } from './federated-signup.js';
import {
  deleteIdentity,
  findLinkedAccountId,
  hasIdentity,
  insertIdentity,
  listIdentities,
  touchIdentity,
} from './identity.repository.js';
import { FederationRefusal, refusalLocation } from './refusal.js';
import { OIDC_PROVIDERS } from '../../config.js';

async function discoveredOrRefused(deps: AppDeps, name: OidcProviderName) {
  try {
    return await discoveredProvider(deps, name);
  } catch (error) {
    if (error instanceof ProviderUnavailable) throw new FederationRefusal('provider-unavailable');
    throw error;
  }
}

function authorizationUrl(deps: AppDeps, provider: DiscoveredProvider, flow: StartedFlow): string {
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

/**
 * GET …/start: sends the browser to the provider with state, nonce and PKCE, the flow recorded
 * server-side and bound to this browser. `signup` (a département code, FranceConnect only) lets
 * an identity nobody has linked create a usager account there.
 */
export async function startSignIn(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  name: OidcProviderName,
  signup: string | undefined,
): Promise<string> {
  const { preset } = enabledProvider(deps, name);
  try {
    let tenantId: string | null = null;
    if (signup !== undefined) {
      if (!preset.signup) throw new FederationRefusal('signup-unavailable');
      const tenant = await deps.db
        .selectFrom('tenants')
        .select('id')
        .where('code', '=', signup)
        .executeTakeFirst();
      if (!tenant) throw new FederationRefusal('unknown-tenant');
      tenantId = tenant.id;
    }
    const provider = await discoveredOrRefused(deps, name);
    const flow = await createFlow(deps, reply, {
      provider: name,
      intent: tenantId ? 'signup' : 'login',
      accountId: null,
      tenantId,
    });
    return authorizationUrl(deps, provider, flow);
  } catch (error) {
    return refusalLocation(deps, request, { provider: name, purpose: 'login' }, error);
  }
}

/**
 * POST /me/identities/:provider: the signed-in account, after typing its password again, gets
 * the provider URL of a flow that will link the identity proven there to this account, and to no
 * other. This is the only way an existing account gains a provider identity.
 */
export async function startLink(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  name: OidcProviderName,
  currentPassword: string,
): Promise<{ authorizationUrl: string }> {
  const { preset } = enabledProvider(deps, name);
  if (actor.kind !== preset.accountKind) {
    throw new Problem(
      403,
      'oidc-provider-not-for-account',
      'Fournisseur d’identité non proposé pour ce compte',
      preset.accountKind === 'usager'
        ? `${preset.label} est réservé aux usagers.`
        : `${preset.label} est réservé aux agents.`,
    );
  }
  const account = await reauthenticate(deps, request, actor, currentPassword);
  if (await hasIdentity(deps.db, account.id, name)) {
    throw new Problem(
      409,
      'identity-already-linked',
      'Identité déjà liée',
      `Ce compte est déjà lié à une identité ${preset.label} ; déliez-la d’abord.`,
    );
  }
  let provider: DiscoveredProvider;
  try {
    provider = await discoveredProvider(deps, name);
  } catch (error) {
    if (!(error instanceof ProviderUnavailable)) throw error;
    throw new Problem(
      503,
      'oidc-provider-unavailable',
      'Fournisseur d’identité injoignable',
      `${preset.label} ne répond pas ; réessayez dans un moment.`,
    );
  }
  const flow = await createFlow(deps, reply, {
    provider: name,
    intent: 'link',
    accountId: account.id,
    tenantId: null,
  });
  return { authorizationUrl: authorizationUrl(deps, provider, flow) };
}

/** GET …/callback: finishes the flow the browser started, whatever its intent. */
export async function finishFlow(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  name: OidcProviderName,
  query: { state?: string; error?: string },
): Promise<string> {
  enabledProvider(deps, name);
  clearBinding(deps, reply);
  const taken = await takeFlow(deps, request, name, query.state);
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
      request,
      provider,
      taken.flow,
      taken.codeVerifier,
      query.state ?? '',
    );
    if (taken.flow.intent === 'link')
      return await completeLink(deps, request, taken.flow, identity);
    return await completeSignIn(deps, request, reply, provider, taken.flow, identity);
  } catch (error) {
    return refusalLocation(deps, request, context, error);
  }
}

async function completeSignIn(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
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
    accountId = await signUpFromIdentity(deps, request, provider, flow.tenant_id, identity);
  }
  const found = await findAccountById(deps.db, accountId);
  if (!found) throw new FederationRefusal('not-linked', subject);
  if (found.kind !== provider.preset.accountKind) {
    throw new FederationRefusal('wrong-account-kind', subject);
  }
  // The same rules as a password login: dormant staff is disabled now, disabled is refused.
  const account = await disableIfDormant(deps, request, found);
  if (account.status !== 'active' || actorFromAccount(account).kind === 'anonymous') {
    await recordSecurityEvent(deps, request, {
      kind: 'login.disabled-account',
      actor: { kind: 'anonymous' },
      detail: { accountId: account.id, firstFactor: 'oidc', provider: name },
    });
    throw new FederationRefusal('account-disabled', subject);
  }
  await touchIdentity(deps.db, account.id, name, deps.clock.now().toISOString());
  // A first factor only: signIn leaves the second factor to be proven (staff MFA still applies).
  const outcome = await signIn(deps, request, reply, account, 'oidc');
  return `/?login=${outcome.next}`;
}

async function completeLink(
  deps: AppDeps,
  request: FastifyRequest,
  flow: OidcFlow,
  identity: ProvenIdentity,
): Promise<string> {
  const name = flow.provider as OidcProviderName;
  const subject = { subject: identity.subjectHash };
  const account = flow.account_id ? await findAccountById(deps.db, flow.account_id) : undefined;
  if (!account || account.status !== 'active') {
    throw new FederationRefusal('account-disabled', subject);
  }
  if (account.kind !== OIDC_PRESETS[name].accountKind) {
    throw new FederationRefusal('wrong-account-kind', subject);
  }
  const owner = await findLinkedAccountId(deps.db, name, identity.subjectHash);
  if (owner === account.id) return '/?link=done';
  if (owner !== null) throw new FederationRefusal('link-conflict', subject);
  const at = deps.clock.now().toISOString();
  const inserted = await insertIdentity(deps.db, {
    accountId: account.id,
    provider: name,
    subjectHash: identity.subjectHash,
    at,
  });
  if (!inserted) throw new FederationRefusal('link-conflict', subject);
  await recordSecurityEvent(deps, request, {
    kind: 'oidc.linked',
    actor: actorFromAccount(account),
    objectType: 'account',
    objectId: account.id,
    detail: { provider: name, subject: identity.subjectHash },
  });
  return '/?link=done';
}

/** DELETE /me/identities/:provider: the password again, then the link is gone. */
export async function unlink(
  deps: AppDeps,
  request: FastifyRequest,
  actor: Actor,
  name: OidcProviderName,
  currentPassword: string,
): Promise<void> {
  if (actor.kind === 'anonymous') throw new NotFound();
  // One's own links are no secret: say "none" before asking for the password.
  if (!(await hasIdentity(deps.db, actor.accountId, name))) throw new NotFound();
  const account = await reauthenticate(deps, request, actor, currentPassword);
  if (!(await deleteIdentity(deps.db, account.id, name))) throw new NotFound();
  await recordSecurityEvent(deps, request, {
    kind: 'oidc.unlinked',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { provider: name },
  });
}

/** GET /me/identities: the providers the signed-in account is linked to. */
export async function myIdentities(deps: AppDeps, actor: Actor) {
  if (actor.kind === 'anonymous') throw new NotFound();
  const rows = await listIdentities(deps.db, actor.accountId);
  return {
    items: rows.map((r) => ({
      provider: r.provider as OidcProviderName,
      linkedAt: r.linked_at,
      lastUsedAt: r.last_used_at,
    })),
  };
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
