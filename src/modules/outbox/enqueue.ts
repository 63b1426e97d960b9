import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import type { DbOrTx } from '../../db/database.js';
import { outsideCommitHook } from '../../db/commit-hooks.js';
import { currentPendingCommits } from '../../db/durability.js';
import { insertOutboxRow } from './outbox.repository.js';
import { sealPayload } from './outbox-seal.js';

/** What enqueueing needs of the application: keys to seal with, a clock, the worker to wake. */
export type OutboxDeps = Pick<AppDeps, 'keys' | 'vault' | 'clock' | 'outbox' | 'mailer'>;

/**
 * Who a mail goes to. An account's address is read when the mail is sent, so an address changed
 * meanwhile is respected and a disabled account gets nothing; `awaitingActivation` lets an
 * account not yet activated receive it (its activation link). A bare address is for someone
 * who has no account, or a new address not yet the account's: it is sealed with the body.
 */
export type MailRecipient =
  | { readonly accountId: string; readonly awaitingActivation?: boolean }
  | { readonly address: string };

/** A mail to queue: plain French text that names nobody and says nothing of a file. */
export interface QueuedMail {
  /** The tenant whose key seals it; null for the platform's own mails (operators). */
  readonly tenantId: string | null;
  /** What it is (reset, pieces-requested...): logged and counted, never the content. */
  readonly topic: string;
  readonly to: MailRecipient;
  readonly subject: string;
  readonly text: string;
}

/** Wakes the worker once the unit's commits are on disk (at once outside a unit). */
function nudgeAfterCommit(deps: Pick<AppDeps, 'outbox'>): void {
  const unit = currentPendingCommits();
  outsideCommitHook(() =>
    setImmediate(() => {
      (unit ? unit.settled() : Promise.resolve()).then(
        () => deps.outbox.nudge(),
        () => undefined,
      );
    }),
  );
}

/**
 * Queues a mail in the caller's transaction: it exists if and only if that transaction commits,
 * and survives a crash. Its recipient address (when not an account's) and body are sealed, bound
 * to the row. Returns the outbox id (for logs: never log the address), or null when no mail can
 * ever leave this instance (no SMTP server, not in demo mode): nothing is queued then.
 */
export async function enqueueMail(
  trx: DbOrTx,
  deps: OutboxDeps,
  mail: QueuedMail,
): Promise<string | null> {
  if (!deps.mailer.available) return null;
  const id = randomUUID();
  const now = deps.clock.now().toISOString();
  const account = 'accountId' in mail.to ? mail.to : null;
  const payload = await sealPayload(deps, trx, mail.tenantId, id, {
    ...(account ? {} : { to: (mail.to as { address: string }).address }),
    subject: mail.subject,
    text: mail.text,
  });
  await insertOutboxRow(trx, {
    id,
    tenant_id: mail.tenantId,
    kind: 'mail',
    topic: mail.topic,
    account_id: account?.accountId ?? null,
    to_inactive: account?.awaitingActivation ? 1 : 0,
    channel_id: null,
    alert_id: null,
    payload_enc: payload,
    status: 'pending',
    next_attempt_at: now,
    lease_owner: null,
    lease_until: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  });
  nudgeAfterCommit(deps);
  return id;
}

/**
 * Queues the delivery of an alert to one channel in the transaction that records the alert.
 * The row names the channel, read when sending (its URL or address stays sealed in its own
 * row), and holds the alert as raised, sealed like a mail's body.
 * `channelId` is a channel of the tenant, or 'operator-syslog' for a platform alert.
 */
export async function enqueueAlertDelivery(
  trx: DbOrTx,
  deps: OutboxDeps,
  delivery: { tenantId: string | null; alertId: string; channelId: string; snapshot: object },
): Promise<string> {
  const id = randomUUID();
  const now = deps.clock.now().toISOString();
  const payload = await sealPayload(deps, trx, delivery.tenantId, id, delivery.snapshot);
  await insertOutboxRow(trx, {
    id,
    tenant_id: delivery.tenantId,
    kind: 'alert',
    topic: 'alert',
    account_id: null,
    channel_id: delivery.channelId,
    alert_id: delivery.alertId,
    payload_enc: payload,
    status: 'pending',
    next_attempt_at: now,
    lease_owner: null,
    lease_until: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  });
  nudgeAfterCommit(deps);
  return id;
}
