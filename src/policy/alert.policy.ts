import type { Actor } from './actor.js';
import type { Action } from './actions.js';

/** An alert as the policy sees it (tenant null: the platform's, which no tenant's staff touch). */
export interface AlertFacts {
  readonly tenantId: string | null;
  /** Who the alert is about (an account id, possibly with a qualifier after ':'). */
  readonly subject: string;
}

/** Where a tenant's alerts go (webhook, e-mail, syslog). */
export interface AlertChannelFacts {
  readonly tenantId: string;
}

/**
 * The DPO and admin of the alert's département (the role gate says which roles), never about
 * themself: whoever an alert watches does not get to close it.
 */
export function canOnAlert(actor: Actor, action: Action, alert: AlertFacts): boolean {
  return (
    action === 'alert.manage' &&
    actor.kind === 'staff' &&
    alert.tenantId !== null &&
    actor.tenantId === alert.tenantId &&
    alert.subject !== actor.accountId &&
    !alert.subject.startsWith(`${actor.accountId}:`)
  );
}

/** The admins of the channel's own département: where its alerts go is theirs to change. */
export function canOnAlertChannel(
  actor: Actor,
  action: Action,
  channel: AlertChannelFacts,
): boolean {
  return (
    action === 'alertChannel.manage' &&
    actor.kind === 'staff' &&
    actor.role === 'admin' &&
    actor.tenantId === channel.tenantId
  );
}
