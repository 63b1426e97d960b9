import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { OidcProviderName } from '../../config.js';
import type { AppDeps } from '../../deps.js';
import type { OidcFlowTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import { hashToken } from '../../crypto/token-hash.js';
import type { BrowserCookies } from '../request-context.js';
import {
  deleteExpiredFlows,
  hasFlowWithState,
  insertFlow,
  takeBoundFlow,
} from './oidc-flow.repository.js';

export type FlowIntent = 'login' | 'signup' | 'link';
export type OidcFlow = Selectable<OidcFlowTable>;

/** A flow lives this long between its start and the provider's callback. */
export const FLOW_LIFETIME_MINUTES = 10;

/**
 * The PKCE verifier is derived from the binding cookie, so the database holds nothing that could
 * redeem an authorization code: only the browser that started the flow can finish it.
 */
function pkceVerifierOf(binding: string): string {
  return createHmac('sha256', binding).update('cloison-oidc-pkce-verifier').digest('base64url');
}

/** What the start of a flow sends to the provider. */
export interface StartedFlow {
  readonly state: string;
  readonly nonce: string;
  /** S256 of the PKCE verifier (RFC 7636). */
  readonly codeChallenge: string;
}

/**
 * Records a new flow and sets its binding cookie, which ties the flow to the browser that
 * started it: a callback URL carried to another browser (login CSRF, a leaked URL) is refused
 * there. Expired flows of anyone are swept here: the table only ever holds the last ten minutes
 * of starts.
 */
export async function createFlow(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  cookies: BrowserCookies,
  flow: {
    provider: OidcProviderName;
    intent: FlowIntent;
    accountId: string | null;
    tenantId: string | null;
  },
): Promise<StartedFlow> {
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  const binding = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const expires = new Date(now.getTime() + FLOW_LIFETIME_MINUTES * 60_000);
  await deleteExpiredFlows(deps.db, now.toISOString());
  await insertFlow(deps.db, {
    state_hash: hashToken(state),
    binding_hash: hashToken(binding),
    provider: flow.provider,
    intent: flow.intent,
    account_id: flow.accountId,
    tenant_id: flow.tenantId,
    nonce,
    created_at: now.toISOString(),
    expires_at: expires.toISOString(),
  });
  // SameSite=Lax (src/http): it must come back on the provider's cross-site redirect.
  cookies.set('oidc-binding', binding, FLOW_LIFETIME_MINUTES * 60);
  const codeChallenge = createHash('sha256').update(pkceVerifierOf(binding)).digest('base64url');
  return { state, nonce, codeChallenge };
}

export type FlowRefusal = 'flow-unknown' | 'flow-unbound' | 'flow-expired';

/**
 * Takes the flow named by `state` for this provider, once: the row is deleted in the same
 * statement that finds it, so a replayed callback finds nothing. A browser without the matching
 * binding cookie takes nothing (the flow stays for its rightful browser).
 */
export async function takeFlow(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  cookies: Pick<BrowserCookies, 'get'>,
  provider: OidcProviderName,
  state: string | undefined,
): Promise<{ flow: OidcFlow; codeVerifier: string } | { refused: FlowRefusal }> {
  if (!state) return { refused: 'flow-unknown' };
  const stateHash = hashToken(state);
  const binding = cookies.get('oidc-binding');
  const row =
    binding && binding.length <= 128
      ? await takeBoundFlow(deps.db, { stateHash, bindingHash: hashToken(binding), provider })
      : undefined;
  if (!row || !binding) {
    const pending = await hasFlowWithState(deps.db, stateHash, provider);
    return { refused: pending ? 'flow-unbound' : 'flow-unknown' };
  }
  if (row.expires_at <= deps.clock.now().toISOString()) return { refused: 'flow-expired' };
  return { flow: row, codeVerifier: pkceVerifierOf(binding) };
}

/** The binding cookie has done its job (or failed it) once the callback is reached. */
export function clearBinding(cookies: BrowserCookies): void {
  cookies.clear('oidc-binding');
}
