import { appendAudit } from '../audit/audit-log.js';
import { auditActor } from '../audit/record.js';
import type { RequestContext } from '../request-context.js';
import type { Actor } from '../../policy/actor.js';
import { accountOf, tenantOf } from '../../policy/actor.js';
import type { AppDeps } from '../../deps.js';
import { insertSecurityEvent } from './security-event.repository.js';
import { OUTCOME_OF_EVENT } from './event-outcomes.js';

export type SecurityEventKind =
  | 'access.denied'
  | 'access.missing'
  | 'access.forbidden'
  | 'access.unauthenticated'
  | 'login.succeeded'
  | 'login.failed'
  | 'logout'
  | 'request.cross-origin'
  /** A request refused by a rate limit (detail.limit: account-concurrency, account-rate, address). */
  | 'request.rate-limited'
  /** Stored data failed authentication: tampering or corruption. */
  | 'data.integrity-failure'
  /** An account was disabled (detail.reason: dormant, offboarded). */
  | 'account.disabled'
  /** Someone tried to log in to a disabled or dormant account. */
  | 'login.disabled-account'
  /** An admin ended every session of an account (a usager's: detail.category, supportActionId). */
  | 'account.sessions-ended'
  /**
   * Disabling an account holding admin or DPO, or re-enabling one: asked by one admin (detail:
   * requestId), decided by another. account.disabled then says requestId too.
   */
  | 'account.disable-requested'
  | 'account.disable-refused'
  | 'account.enable-requested'
  | 'account.enable-refused'
  | 'account.enabled'
  /**
   * Refused because the département would keep fewer than two active admins (detail.step:
   * disable-request, disable-approval, role-change, review-revoke).
   */
  | 'account.too-few-admins'
  | 'account.password-changed'
  /** The password (or federation) was right; a second factor is still due or to enroll. */
  | 'login.first-factor'
  /** A request refused because the session's second factor is still due. */
  | 'access.second-factor-required'
  | 'second-factor.failed'
  /** A TOTP code accepted once was presented again: a shoulder-surfed or intercepted code. */
  | 'second-factor.replayed'
  | 'second-factor.added'
  | 'second-factor.removed'
  | 'recovery-codes.renewed'
  /** One staff account live on two devices at once (a shared or stolen account). */
  | 'session.concurrent'
  /** An integration token was refused (detail.reason); the object is the token, if parseable. */
  | 'token.rejected'
  | 'token.created'
  | 'token.approved'
  | 'token.revoked'
  /**
   * An export's orderer minted the token of its recipient's system (detail: exportInstructionId,
   * expiresAt, addressBound, replaced: how many live ones it revoked).
   */
  | 'token.minted-for-export'
  /** Staff lifecycle: requests, second-admin decisions, activation (detail: requestId, role). */
  | 'staff.requested'
  | 'staff.approved'
  | 'staff.refused'
  | 'account.activated'
  | 'activation.failed'
  | 'role.requested'
  | 'role.granted'
  | 'role.refused'
  /** An admin tried to decide their own request or a grant to themself. */
  | 'approval.same-person'
  /** A temporary grant ended; a role left unreviewed lapsed at the campaign's deadline. */
  | 'role.expired'
  | 'review.opened'
  | 'review.confirmed'
  | 'review.revoked'
  | 'review.lapsed'
  /** A FranceConnect or ProConnect flow was refused (detail: provider, reason slug). */
  | 'oidc.refused'
  /** An account was linked to, or unlinked from, a provider identity (detail: provider). */
  | 'oidc.linked'
  | 'oidc.unlinked'
  /** A usager account was created from a FranceConnect identity (detail: provider). */
  | 'oidc.signed-up'
  /** Changing the sign-in address: asked (with the password), then confirmed by its link. */
  | 'account.email-change-requested'
  | 'account.email-changed'
  /** Sign-up: an account created, or an attempt on an address that has one (detail.outcome). */
  | 'account.signup'
  | 'account.email-verified'
  /** detail.accountId only when the address typed has an account; never the address. */
  | 'password-reset.requested'
  | 'password-reset.completed'
  /** The DPO's verdict on a break-glass access (detail.verdict). */
  | 'break-glass.reviewed'
  /** Alert channels: detail.kind (webhook, email, syslog), never the address or URL. */
  | 'alert-channel.added'
  | 'alert-channel.removed'
  /** A test alert sent on a channel (detail.delivered). */
  | 'alert-channel.tested'
  /** A tenant changed a detection rule or its working hours (detail: the new values). */
  | 'alert-settings.changed'
  | 'alert.acknowledged'
  | 'alert.resolved'
  /** A wrong invitation code or birth date typed to take over a paper file (detail: none). */
  | 'invitation.claim-failed'
  /** A paper file taken over with an invitation (object: the person; detail.invitationId). */
  | 'invitation.claimed'
  /** The DPO changed a retention rule (detail: the durations before and after, the reason). */
  | 'retention.changed'
  /** An export or migration instruction ordered (detail: kind, fields, categories). */
  | 'export.ordered'
  /** An instruction refused at ordering (detail.reason: the rule it broke, never the data). */
  | 'export.order-refused'
  /** The DPO approved an instruction, or refused it (detail.reason: theirs, in their words). */
  | 'export.approved'
  | 'export.refused'
  /** The export job wrote an instruction's file (detail: counts, manifestSha256), or failed. */
  | 'export.produced'
  | 'export.failed'
  /** The orderer downloaded the file; the job deleted it after its expiry. */
  | 'export.downloaded'
  | 'export.deleted'
  /** A migration's acknowledgement recorded (detail: erasureDueAt), or refused (wrong manifest). */
  | 'export.acknowledged'
  | 'export.acknowledgement-refused'
  /** The DPO cancelled the source's erasure; the job erased it (detail: erased, kept). */
  | 'export.erasure-cancelled'
  | 'export.source-erased'
  /**
   * That claim came from an address the agent who issued the invitation used within 30 days:
   * the agent knows the code and the birth date (object: the person; detail: invitationId,
   * inviterId). The address itself is the event's, as for every other event.
   */
  | 'invitation.claimed-from-inviter-address';

export interface SecurityEventInput {
  kind: SecurityEventKind;
  actor: Actor;
  action?: string | null;
  objectType?: string | null;
  objectId?: string | null;
  detail?: Record<string, string | number | boolean>;
  /**
   * The tenant the event is about when the actor has none: a login attempt on an account of
   * that tenant lands in its audit chain, where its DPO's rules and alerts see it.
   */
  tenantId?: string | null;
}

/** The request an event comes from (its route and address), or null for a job. */
export type EventOrigin = RequestContext | null;

/**
 * Records a security event for the request. Never throws: failing to record must not turn a
 * refusal into a 500 that tells the caller something a 404 would not; the failure is logged.
 */
export async function recordSecurityEvent(
  deps: Pick<AppDeps, 'db' | 'clock' | 'log'> & Partial<Pick<AppDeps, 'alerts'>>,
  origin: EventOrigin,
  input: SecurityEventInput,
): Promise<void> {
  const actor = input.actor;
  const at = deps.clock.now().toISOString();
  const tenant = tenantOf(actor) ?? input.tenantId ?? null;
  try {
    await insertSecurityEvent(deps.db, {
      at,
      tenant_id: tenant,
      account_id: accountOf(actor),
      token_id: actor.kind === 'integration' ? actor.tokenId : null,
      kind: input.kind,
      action: input.action ?? null,
      object_type: input.objectType ?? null,
      object_id: input.objectId ?? null,
      route: origin?.route ?? null,
      ip: origin?.ip ?? null,
      detail: input.detail ? JSON.stringify(input.detail) : null,
    });
    // The same fact in the tamper-evident log: identifiers and outcome, never the detail.
    await appendAudit(deps.db, {
      at,
      ...auditActor(actor),
      tenant,
      onBehalfOf: null,
      action: input.kind,
      objectType: input.objectType ?? null,
      objectId: input.objectId ?? null,
      outcome: OUTCOME_OF_EVENT[input.kind],
      ip: origin?.ip ?? null,
      route: origin?.route ?? null,
    });
    // The detection rules read the committed log; this one is worth reading now.
    deps.alerts?.wake();
  } catch (error) {
    deps.log.error({ err: error, kind: input.kind }, 'could not record security event');
  }
}
