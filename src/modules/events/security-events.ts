import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../policy/actor.js';
import { tenantOf } from '../../policy/actor.js';
import type { AppDeps } from '../../deps.js';
import { insertSecurityEvent } from './security-event.repository.js';

export type SecurityEventKind =
  | 'access.denied'
  | 'access.missing'
  | 'access.forbidden'
  | 'access.unauthenticated'
  | 'login.succeeded'
  | 'login.failed'
  | 'logout'
  | 'request.cross-origin'
  /** Stored data failed authentication: tampering or corruption. */
  | 'data.integrity-failure'
  /** An account was disabled (detail.reason: dormant, offboarded). */
  | 'account.disabled'
  /** Someone tried to log in to a disabled or dormant account. */
  | 'login.disabled-account'
  /** An admin ended every session of an account. */
  | 'account.sessions-ended'
  | 'account.password-changed'
  /** Sign-up: an account created, or an attempt on an address that has one (detail.outcome). */
  | 'account.signup'
  | 'account.email-verified'
  /** detail.accountId only when the address typed has an account; never the address. */
  | 'password-reset.requested'
  | 'password-reset.completed'
  /** An e-mailed token unknown, expired, spent or of another purpose (detail.purpose). */
  | 'token.rejected';

export interface SecurityEventInput {
  kind: SecurityEventKind;
  actor: Actor;
  action?: string | null;
  objectType?: string | null;
  objectId?: string | null;
  detail?: Record<string, string | number | boolean>;
}

/**
 * Records a security event for the request. Never throws: failing to record must not turn a
 * refusal into a 500 that tells the caller something a 404 would not; the failure is logged.
 */
export async function recordSecurityEvent(
  deps: Pick<AppDeps, 'db' | 'clock' | 'log'>,
  request: FastifyRequest | null,
  input: SecurityEventInput,
): Promise<void> {
  const actor = input.actor;
  try {
    await insertSecurityEvent(deps.db, {
      at: deps.clock.now().toISOString(),
      tenant_id: tenantOf(actor),
      account_id: actor.kind === 'anonymous' ? null : actor.accountId,
      kind: input.kind,
      action: input.action ?? null,
      object_type: input.objectType ?? null,
      object_id: input.objectId ?? null,
      route: request ? `${request.method} ${request.routeOptions.url ?? 'unknown'}` : null,
      ip: request?.ip ?? null,
      detail: input.detail ? JSON.stringify(input.detail) : null,
    });
  } catch (error) {
    deps.log.error({ err: error, kind: input.kind }, 'could not record security event');
  }
}
