import type { AppDeps } from '../../deps.js';
import type { DbOrTx } from '../../db/database.js';
import { enqueueAlertDelivery, type OutboxDeps } from '../outbox/enqueue.js';
import { OutboxSkip } from '../outbox/outbox-errors.js';
import type { OutboxRow } from '../outbox/outbox.repository.js';
import { openPayload } from '../outbox/outbox-seal.js';
import { channelsOfTenant, findChannelOfTenant } from './alert-channel.repository.js';
import type { RaisedAlert } from './detection.js';
import { closeChannel, openChannel, operatorChannel } from './channels/channel-target.js';
import { sendAlertOnce } from './delivery.js';
import { errorCode } from './channels/delivery-error.js';

const OPERATOR_CHANNEL = 'operator-syslog';
/** Tries of an alert a second or two apart before the outbox's longer waits (alertRetrySeconds). */
export const QUICK_TRIES = 3;

/** Seconds before the next try of an alert delivery: 1 s, 2 s, then the outbox's backoff. */
export function alertRetrySeconds(attempts: number, backoff: (attempts: number) => number) {
  return attempts < QUICK_TRIES ? attempts : backoff(attempts - QUICK_TRIES + 1);
}

/**
 * Queues one delivery per channel of the alert's tenant (the operator's syslog for a platform
 * alert), in the transaction that records the alert: an alert raised is an alert delivered,
 * whatever happens to the process or the receiver meanwhile. Returns how many were queued.
 */
export async function enqueueAlertDeliveries(
  trx: DbOrTx,
  deps: OutboxDeps & Pick<AppDeps, 'config'>,
  alert: RaisedAlert,
): Promise<number> {
  const channelIds =
    alert.tenantId === null
      ? deps.config.operatorSyslog
        ? [OPERATOR_CHANNEL]
        : []
      : (await channelsOfTenant(trx, alert.tenantId)).map((c) => c.id);
  for (const channelId of channelIds) {
    await enqueueAlertDelivery(trx, deps, {
      tenantId: alert.tenantId,
      alertId: alert.id,
      channelId,
      snapshot: alert,
    });
  }
  return channelIds.length;
}

/**
 * Sends one queued alert delivery with the channel as it is now (a channel deleted meanwhile
 * gets nothing); one try, the outbox retries.
 */
export async function sendQueuedAlert(deps: AppDeps, row: OutboxRow): Promise<void> {
  if (row.payload_enc === null || row.channel_id === null) throw new OutboxSkip('NO_PAYLOAD');
  const alert = await openPayload<RaisedAlert>(
    deps,
    deps.db,
    row.tenant_id,
    row.id,
    row.payload_enc,
  );
  let channel;
  if (row.tenant_id === null) {
    channel = operatorChannel(deps);
  } else {
    const stored = await findChannelOfTenant(deps.db, row.tenant_id, row.channel_id);
    channel = stored ? await openChannel(deps, stored) : null;
  }
  if (!channel) throw new OutboxSkip('CHANNEL_GONE');
  try {
    await sendAlertOnce(deps, channel, alert);
    deps.log.info({ alert: alert.id, channel: channel.id, kind: channel.kind }, 'alert sent');
  } catch (error) {
    // After the quick tries the DPO's channel is known to be down: said once, loudly; the outbox
    // keeps trying at longer intervals.
    if (row.attempts === QUICK_TRIES) {
      deps.log.error(
        {
          alert: alert.id,
          channel: channel.id,
          kind: channel.kind,
          code: errorCode(error),
          attempts: row.attempts,
        },
        'alert not delivered',
      );
    }
    throw error;
  } finally {
    closeChannel(channel);
  }
}
