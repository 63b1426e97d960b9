import type { Static } from '@sinclair/typebox';
import type { RequestContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import type { ApiTokenRow } from '../../db/schema.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { normalizeRange } from './address-ranges.js';
import {
  findTokenOfTenant,
  insertToken,
  listTokensOfTenant,
  markApproved,
  markRevoked,
} from './integration-token.repository.js';
import type {
  CreateTokenBody,
  CreatedToken,
  TokenList,
  TokenView,
} from './integration-token.schemas.js';
import { mintIntegrationToken } from './token-secret.js';
import { requireAuthorized } from '../authorization/require-authorized.js';

type View = Static<typeof TokenView>;

/** What the admins see of a token at this instant. */
export function toView(row: ApiTokenRow, now: Date): View {
  const status: View['status'] =
    row.revoked_at !== null
      ? 'revoked'
      : row.expires_at <= now.toISOString()
        ? 'expired'
        : row.approved_at === null
          ? 'pending'
          : 'active';
  return {
    id: row.id,
    name: row.name,
    permissions: JSON.parse(row.permissions) as string[],
    allowedRanges:
      row.allowed_ranges === null ? null : (JSON.parse(row.allowed_ranges) as string[]),
    status,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    exportInstructionId: row.export_instruction_id,
  };
}

/** The admin acting, confined to their own tenant; the route's role gate already said admin. */
function adminOf(actor: Actor): { accountId: string; tenantId: string } {
  if (actor.kind !== 'staff' || actor.role !== 'admin') throw problems.forbidden();
  return { accountId: actor.accountId, tenantId: actor.tenantId };
}

/** A token expires in the future and within a year, so a forgotten one dies on its own. */
function checkedExpiry(text: string, now: Date): string {
  const expires = new Date(text);
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + 1);
  if (Number.isNaN(expires.getTime())) throw problems.validation('Date d’expiration invalide.');
  if (expires <= now) throw problems.validation('La date d’expiration doit être dans le futur.');
  if (expires > latest) {
    throw problems.validation('Un jeton d’intégration expire au plus tard dans un an.');
  }
  return expires.toISOString();
}

export function checkedRanges(ranges: readonly string[] | undefined): string[] | null {
  if (ranges === undefined) return null;
  const normalized = ranges.map(normalizeRange);
  const bad = normalized.findIndex((r) => r === null);
  if (bad >= 0) {
    throw problems.validation(
      `allowedRanges[${bad}] n’est ni une adresse IP ni une plage CIDR (ex. 10.20.0.0/16).`,
    );
  }
  return [...new Set(normalized as string[])];
}

/**
 * Creates a token of the admin's tenant. It works only once a second admin has approved it;
 * the token itself is returned here, once, and never stored.
 */
export async function createToken(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  body: Static<typeof CreateTokenBody>,
): Promise<Static<typeof CreatedToken>> {
  const admin = adminOf(actor);
  const now = deps.clock.now();
  const expiresAt = checkedExpiry(body.expiresAt, now);
  const ranges = checkedRanges(body.allowedRanges);
  const minted = mintIntegrationToken();
  await insertToken(deps.db, {
    id: minted.id,
    tenant_id: admin.tenantId,
    name: body.name,
    secret_hash: minted.hash,
    permissions: JSON.stringify(body.permissions),
    allowed_ranges: ranges === null ? null : JSON.stringify(ranges),
    created_by: admin.accountId,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    approved_by: null,
    approved_at: null,
    revoked_at: null,
    revoked_by: null,
    revoked_reason: null,
    last_used_at: null,
    export_instruction_id: null,
  });
  await recordSecurityEvent(deps, origin, {
    kind: 'token.created',
    actor,
    objectType: 'integration-token',
    objectId: minted.id,
    detail: {
      permissions: body.permissions.join(' '),
      expiresAt,
      addressBound: ranges !== null,
    },
  });
  const row = await findTokenOfTenant(deps.db, admin.tenantId, minted.id);
  return { ...toView(row!, now), token: minted.token };
}

/** Every token of the admin's tenant, without secrets. */
export async function listTokens(deps: AppDeps, actor: Actor): Promise<Static<typeof TokenList>> {
  const admin = adminOf(actor);
  const now = deps.clock.now();
  const rows = await listTokensOfTenant(deps.db, admin.tenantId);
  return { items: rows.map((r) => toView(r, now)) };
}

/** Loads a token of the admin's tenant and authorizes the action; foreign answers as missing. */
async function requireToken(
  deps: AppDeps,
  actor: Actor,
  action: 'token.manage' | 'token.approve',
  tokenId: string,
): Promise<ApiTokenRow> {
  return requireAuthorized(deps.db, actor, action, {
    type: 'integration-token',
    id: tokenId,
    table: 'api_tokens',
    find: async () =>
      actor.kind === 'staff' ? findTokenOfTenant(deps.db, actor.tenantId, tokenId) : undefined,
    facts: (row) => ({
      type: 'integration-token',
      id: row.id,
      tenantId: row.tenant_id,
      createdBy: row.created_by,
    }),
  });
}

/** A second admin of the tenant vouches for a pending token, which starts working. */
export async function approveToken(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  tokenId: string,
): Promise<View> {
  const row = await requireToken(deps, actor, 'token.approve', tokenId);
  const admin = adminOf(actor);
  const now = deps.clock.now();
  const state = toView(row, now).status;
  if (state !== 'pending') {
    throw problems.conflict('token-not-pending', `Ce jeton n’est pas en attente (${state}).`);
  }
  if (!(await markApproved(deps.db, row.id, admin.accountId, now.toISOString()))) {
    throw problems.conflict('token-not-pending', 'Ce jeton n’est plus en attente.');
  }
  await recordSecurityEvent(deps, origin, {
    kind: 'token.approved',
    actor,
    objectType: 'integration-token',
    objectId: row.id,
  });
  const updated = await findTokenOfTenant(deps.db, admin.tenantId, row.id);
  return toView(updated!, now);
}

/** Revokes a token at once: its next request is anonymous. Revoking twice changes nothing. */
export async function revokeToken(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  tokenId: string,
): Promise<void> {
  const row = await requireToken(deps, actor, 'token.manage', tokenId);
  const admin = adminOf(actor);
  if (row.revoked_at !== null) return;
  await markRevoked(deps.db, row.id, admin.accountId, deps.clock.now().toISOString());
  await recordSecurityEvent(deps, origin, {
    kind: 'token.revoked',
    actor,
    objectType: 'integration-token',
    objectId: row.id,
  });
}
