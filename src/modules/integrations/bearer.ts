import type { AppDeps } from '../../deps.js';
import { Problem } from '../../errors.js';
import { INTEGRATION_ACTIONS, type Action } from '../../policy/actions.js';
import type { Actor } from '../../policy/actor.js';
import type { RequestContext } from '../request-context.js';
import { findAccountById } from '../auth/account.repository.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { addressInRanges } from './address-ranges.js';
import { touchLastUsed, unsafeFindTokenForBearer } from './integration-token.repository.js';
import { hashToken } from '../../crypto/token-hash.js';
import { matchesHash, tokenIdOf } from './token-secret.js';

/** Why a presented token gave no actor; kept in the security event, never told to the client. */
type Rejection =
  | 'with-session-cookie'
  | 'malformed'
  | 'unknown'
  | 'wrong-secret'
  | 'revoked'
  | 'expired'
  | 'unapproved'
  | 'creator-inactive'
  | 'address-out-of-range';

/** A hash no token has, compared against when the id is unknown so both cases cost the same. */
const NO_HASH = hashToken('no such token');

/** Touch last_used_at at most once a minute: no write per request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolves a request carrying `Authorization: Bearer clo_…` into an integration actor. Any
 * failure gives no actor (the request stays anonymous, the route's gate answers 401) and records
 * why, as `actor` (the request's so far). A request may not carry a session cookie as well:
 * which of the two would speak is refused, not guessed.
 */
export async function resolveBearer(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  presented: { authorization: string; withSessionCookie: boolean },
): Promise<Actor | null> {
  const reject = (reason: Rejection, tokenId: string | null) =>
    rejectToken(deps, origin, actor, reason, tokenId);
  if (presented.withSessionCookie) {
    await reject('with-session-cookie', null);
    throw new Problem(
      400,
      'ambiguous-credentials',
      'Requête invalide',
      'Une requête porte soit un cookie de session, soit un jeton d’intégration, pas les deux.',
    );
  }
  const match = /^Bearer +(\S+)$/i.exec(presented.authorization);
  const token = match?.[1] ?? '';
  const tokenId = tokenIdOf(token);
  if (tokenId === null) return reject('malformed', null);

  const row = await unsafeFindTokenForBearer(deps.db, tokenId);
  // The secret is checked before anything about the token is looked at.
  if (!matchesHash(token, row?.secret_hash ?? NO_HASH) || !row) {
    return reject(row ? 'wrong-secret' : 'unknown', tokenId);
  }
  const now = deps.clock.now();
  if (row.revoked_at !== null) return reject('revoked', tokenId);
  if (row.expires_at <= now.toISOString()) return reject('expired', tokenId);
  if (row.approved_at === null) return reject('unapproved', tokenId);
  // Second wall behind the revocation at disabling: a token works only while its creator is
  // still an active admin of the token's tenant; a recipient's token, while its creator (the
  // export's orderer) may still order and download exports there.
  const creator = await findAccountById(deps.db, row.created_by);
  const issuers: readonly string[] =
    row.export_instruction_id === null ? ['admin'] : ['admin', 'responsable'];
  if (
    creator?.status !== 'active' ||
    creator.kind !== 'staff' ||
    !issuers.includes(creator.role ?? '') ||
    creator.tenant_id !== row.tenant_id ||
    // A temporary admin role past its end (or a review deadline) before any job removed it.
    (creator.role_expires_at !== null && creator.role_expires_at <= now.toISOString())
  ) {
    return reject('creator-inactive', tokenId);
  }
  const ranges = row.allowed_ranges === null ? null : (JSON.parse(row.allowed_ranges) as string[]);
  if (ranges !== null && !addressInRanges(origin.ip, ranges)) {
    return reject('address-out-of-range', tokenId);
  }

  const granted = JSON.parse(row.permissions) as string[];
  const integration: Actor = {
    kind: 'integration',
    tokenId: row.id,
    tenantId: row.tenant_id,
    // A recipient's token holds none of these: what it may do comes from its instruction.
    permissions:
      row.export_instruction_id === null
        ? INTEGRATION_ACTIONS.filter((a: Action) => granted.includes(a))
        : [],
    exportInstructionId: row.export_instruction_id,
  };
  const lastUsed = row.last_used_at === null ? 0 : new Date(row.last_used_at).getTime();
  if (now.getTime() - lastUsed > TOUCH_EVERY_MS) {
    await touchLastUsed(deps.db, row.id, now.toISOString());
  }
  return integration;
}

/** Records why a presented token gave no actor; there is none to return. */
async function rejectToken(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  reason: Rejection,
  tokenId: string | null,
): Promise<null> {
  await recordSecurityEvent(deps, origin, {
    kind: 'token.rejected',
    actor,
    objectType: tokenId === null ? null : 'integration-token',
    objectId: tokenId,
    detail: { reason },
  });
  return null;
}
