import type { AppDeps } from '../../../deps.js';
import {
  channelAddressRef,
  channelSecretRef,
  channelUrlRef,
  type AlertChannelRow,
} from '../alert-channel.repository.js';
import { DeliveryError } from './delivery-error.js';
import {
  isSyslogFacility,
  parseSyslogUrl,
  type SyslogFacility,
  type SyslogTarget,
} from '../../../config/syslog-url.js';

/** A channel ready to send to, its sealed parts opened for the time of one delivery. */
export type ChannelTarget =
  | { readonly kind: 'webhook'; readonly id: string; readonly url: string; readonly secret: Buffer }
  | { readonly kind: 'email'; readonly id: string; readonly address: string }
  | {
      readonly kind: 'syslog';
      readonly id: string;
      readonly target: SyslogTarget;
      readonly facility: SyslogFacility;
    };

/** Opens a stored channel: a webhook's URL and secret and an e-mail address are unsealed here. */
export async function openChannel(deps: AppDeps, row: AlertChannelRow): Promise<ChannelTarget> {
  switch (row.kind) {
    case 'webhook': {
      if (row.url === null || row.secret_enc === null) throw new DeliveryError('CHANNEL_INVALID');
      const secret = await deps.vault.openCredential(
        deps.db,
        row.tenant_id,
        channelSecretRef(row.id),
        row.secret_enc,
      );
      const url = row.url_enc
        ? (
            await deps.vault.openCredential(
              deps.db,
              row.tenant_id,
              channelUrlRef(row.id),
              row.url_enc,
            )
          ).toString('utf8')
        : row.url;
      return { kind: 'webhook', id: row.id, url, secret };
    }
    case 'email': {
      if (row.address_enc === null) throw new DeliveryError('CHANNEL_INVALID');
      const address = await deps.vault.openCredential(
        deps.db,
        row.tenant_id,
        channelAddressRef(row.id),
        row.address_enc,
      );
      return { kind: 'email', id: row.id, address: address.toString('utf8') };
    }
    case 'syslog': {
      const target = row.url === null ? null : parseSyslogUrl(row.url);
      const facility = row.facility ?? '';
      if (!target || !isSyslogFacility(facility)) throw new DeliveryError('CHANNEL_INVALID');
      return { kind: 'syslog', id: row.id, target, facility };
    }
  }
}

/** The operator's syslog for the platform's own alerts (no tenant), from the environment. */
export function operatorChannel(deps: AppDeps): ChannelTarget | null {
  const configured = deps.config.operatorSyslog;
  const target = configured ? parseSyslogUrl(configured.url) : null;
  if (!configured || !target) return null;
  return { kind: 'syslog', id: 'operator-syslog', target, facility: configured.facility };
}

/** Forgets the opened secret once the delivery is over. */
export function closeChannel(channel: ChannelTarget): void {
  if (channel.kind === 'webhook') channel.secret.fill(0);
}
