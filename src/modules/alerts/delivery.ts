import type { AppDeps } from '../../deps.js';
import type { RaisedAlert } from './detection.js';
import type { ChannelTarget } from './channels/channel-target.js';
import { DeliveryError, errorCode } from './channels/delivery-error.js';
import { alertMail } from './channels/email.js';
import { syslogMessage } from './channels/syslog.js';
import { sendSyslog } from './channels/syslog-transport.js';
import { postWebhook } from './channels/webhook.js';

/** Tries per channel of a test alert; waits of 1 s then 2 s between them. */
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
      return deps.mailer.send(alertMail(alert, channel.address, deps.publicOrigin()));
    case 'syslog':
      return sendSyslog(
        channel.target,
        syslogMessage(alert, { facility: channel.facility, at: deps.clock.now() }),
      );
  }
}

/** One try on one channel within the attempt's time limit; throws on failure. */
export function sendAlertOnce(
  deps: AppDeps,
  channel: ChannelTarget,
  alert: RaisedAlert,
): Promise<unknown> {
  return within(sendOnce(deps, channel, alert), ATTEMPT_TIMEOUT_MS);
}

/**
 * Sends the alert to one channel at once, retrying (a channel's test, whose answer says whether
 * it went out); true when it went out. Raised alerts go through the outbox instead. Never throws. Failures are
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
      await sendAlertOnce(deps, channel, alert);
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
