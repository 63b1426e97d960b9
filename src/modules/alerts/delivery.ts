import type { AppDeps } from '../../deps.js';
import { channelsOfTenant } from './alert-channel.repository.js';
import type { RaisedAlert } from './detection.js';
import {
  closeChannel,
  openChannel,
  operatorChannel,
  type ChannelTarget,
} from './channels/channel-target.js';
import { DeliveryError, errorCode } from './channels/delivery-error.js';
import { alertMail } from './channels/email.js';
import { syslogMessage } from './channels/syslog.js';
import { sendSyslog } from './channels/syslog-transport.js';
import { postWebhook } from './channels/webhook.js';
import { alertDeliveryQueueDepth } from '../../metrics/metrics.js';

/** Tries per channel; waits of 1 s then 2 s between them. */
const ATTEMPTS = 3;
/** Longest wait for one attempt: an SMTP server that accepts and stalls would hold it minutes. */
const ATTEMPT_TIMEOUT_MS = 15_000;

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeliveryError('TIMEOUT')), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** One attempt on one channel; throws on failure. */
async function sendOnce(deps: AppDeps, channel: ChannelTarget, alert: RaisedAlert) {
  switch (channel.kind) {
    case 'webhook':
      return postWebhook(channel, alert, deps.clock.now());
    case 'email':
      if (!deps.mailer.available) throw new DeliveryError('MAIL_UNAVAILABLE');
      // send, not deliverLater: an alert is awaited and retried, not fire-and-forget.
      return deps.mailer.send(alertMail(alert, channel.address, deps.publicOrigin()));
    case 'syslog':
      return sendSyslog(
        channel.target,
        syslogMessage(alert, { facility: channel.facility, at: deps.clock.now() }),
      );
  }
}

/**
 * Sends the alert to one channel, retrying; true when it went out. Never throws. Failures are
 * logged with the channel id and an error code only: no URL (it may hold a token), no address.
 */
export async function deliverToChannel(
  deps: AppDeps,
  channel: ChannelTarget,
  alert: RaisedAlert,
  options: { attempts?: number } = {},
): Promise<boolean> {
  // A datagram either leaves or fails at once; sending it again would only duplicate it.
  const attempts =
    channel.kind === 'syslog' && channel.target.transport === 'udp'
      ? 1
      : (options.attempts ?? ATTEMPTS);
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      await within(sendOnce(deps, channel, alert), ATTEMPT_TIMEOUT_MS);
      deps.log.info({ alert: alert.id, channel: channel.id, kind: channel.kind }, 'alert sent');
      return true;
    } catch (error) {
      const code = errorCode(error);
      if (attempt === attempts) {
        deps.log.error(
          { alert: alert.id, channel: channel.id, kind: channel.kind, code, attempts },
          'alert not delivered',
        );
      } else {
        deps.log.warn({ channel: channel.id, code, attempt }, 'alert delivery failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, attempt * 1_000));
      }
    }
  }
  return false;
}

/**
 * Sends an alert to every channel of its tenant at once, each with its retries, so a receiver
 * that is down delays nobody else. A platform alert (no tenant) goes to the operator's syslog
 * when configured, else is only logged. Never throws: the caller is the request path.
 */
export async function deliverAlert(deps: AppDeps, alert: RaisedAlert): Promise<void> {
  alertDeliveryQueueDepth.inc();
  try {
    if (alert.tenantId === null) {
      const operator = operatorChannel(deps);
      if (operator) await deliverToChannel(deps, operator, alert);
      else
        deps.log.warn({ alert: alert.id, rule: alert.rule }, 'platform alert: no operator channel');
      return;
    }
    const rows = await channelsOfTenant(deps.db, alert.tenantId);
    if (rows.length === 0) {
      deps.log.warn(
        { alert: alert.id, tenant: alert.tenantId },
        'alert: the tenant has no channel',
      );
    }
    await Promise.all(
      rows.map(async (row) => {
        let channel: ChannelTarget;
        try {
          channel = await openChannel(deps, row);
        } catch (error) {
          deps.log.error(
            { alert: alert.id, channel: row.id, kind: row.kind, code: errorCode(error) },
            'alert not delivered: channel unreadable',
          );
          return;
        }
        try {
          await deliverToChannel(deps, channel, alert);
        } finally {
          closeChannel(channel);
        }
      }),
    );
  } catch (error) {
    deps.log.error({ alert: alert.id, code: errorCode(error) }, 'alert delivery failed');
  } finally {
    alertDeliveryQueueDepth.dec();
  }
}
