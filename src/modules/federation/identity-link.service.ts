import type { OidcProviderName } from '../../config.js';
import type { AppDeps } from '../../deps.js';
import { NotFound, Problem } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import type { BrowserContext, RequestContext, SessionContext } from '../request-context.js';
import { actorFromAccount } from '../auth/account-actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { findAccountById } from '../auth/account.repository.js';
import { reauthenticateActor } from '../auth/reauthenticate.js';
import {
  OIDC_PRESETS,
  ProviderUnavailable,
  authorizationUrl,
  discoveredProvider,
  enabledProvider,
  type DiscoveredProvider,
} from './oidc-providers.js';
import { createFlow, type OidcFlow } from './oidc-flow.js';
import type { ProvenIdentity } from './oidc-exchange.js';
import {
  deleteIdentity,
  findLinkedAccountId,
  hasIdentity,
  insertIdentity,
  listIdentities,
} from './identity.repository.js';
import { FederationRefusal } from './refusal.js';

/**
 * Linking an existing account to a provider identity, and undoing it. Only a signed-in account
 * that types its password again starts a link, and the flow it starts links to that account
 * only: an identity never reaches an account because of an e-mail it carries.
 */

/**
 * POST /me/identities/:provider: the signed-in account, after typing its password again, gets
 * the provider URL of a flow that will link the identity proven there to this account, and to no
 * other. This is the only way an existing account gains a provider identity.
 */
export async function startLink(
  deps: AppDeps,
  ctx: BrowserContext,
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
  const account = await reauthenticateActor(deps, ctx, actor, currentPassword);
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
  const flow = await createFlow(deps, ctx.cookies, {
    provider: name,
    intent: 'link',
    accountId: account.id,
    tenantId: null,
  });
  return { authorizationUrl: authorizationUrl(deps, provider, flow) };
}

/**
 * The callback of a link flow: the identity just proven joins the account that started the flow,
 * unless it is another account's or the account already has one of this provider.
 */
export async function completeLink(
  deps: AppDeps,
  origin: RequestContext,
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
  await recordSecurityEvent(deps, origin, {
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
  ctx: SessionContext,
  actor: Actor,
  name: OidcProviderName,
  currentPassword: string,
): Promise<void> {
  if (actor.kind === 'anonymous' || actor.kind === 'integration') throw new NotFound();
  // One's own links are no secret: say "none" before asking for the password.
  if (!(await hasIdentity(deps.db, actor.accountId, name))) throw new NotFound();
  const account = await reauthenticateActor(deps, ctx, actor, currentPassword);
  if (!(await deleteIdentity(deps.db, account.id, name))) throw new NotFound();
  await recordSecurityEvent(deps, ctx, {
    kind: 'oidc.unlinked',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { provider: name },
  });
}

/** GET /me/identities: the providers the signed-in account is linked to. */
export async function myIdentities(deps: AppDeps, actor: Actor) {
  if (actor.kind === 'anonymous' || actor.kind === 'integration') throw new NotFound();
  const rows = await listIdentities(deps.db, actor.accountId);
  return {
    items: rows.map((r) => ({
      provider: r.provider as OidcProviderName,
      linkedAt: r.linked_at,
      lastUsedAt: r.last_used_at,
    })),
  };
}
