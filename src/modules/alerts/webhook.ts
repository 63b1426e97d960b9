import { createHmac } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import type { RaisedAlert } from './detection.js';

export const alertChannelSecretRef = (channelId: string) => ({
  table: 'alert_channels',
  column: 'secret_enc',
  rowId: channelId,
});

/** The body a webhook receives: identifiers and counts, never personal data. */
export function alertBody(alert: RaisedAlert): string {
  return JSON.stringify({
    id: alert.id,
    tenant: alert.tenantId,
    rule: alert.rule,
    severity: alert.severity,
    subject: alert.subject,
    count: alert.count,
    firstAt: alert.firstAt,
    lastAt: alert.lastAt,
    evidence: alert.evidence,
  });
}

/**
 * Signs as `x-cloison-signature: sha256=<HMAC-SHA256(secret, timestamp + "." + body)>`, with the
 * timestamp in `x-cloison-timestamp`: the receiver checks the signature and refuses an old
 * timestamp, so a captured alert cannot be replayed.
 */
export function signature(secret: Buffer, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Posts to every webhook of the tenant; three tries each, then the failure is logged. */
export async function sendToWebhooks(deps: AppDeps, alert: RaisedAlert): Promise<void> {
  if (alert.tenantId === null) return;
  const channels = await deps.db
    .selectFrom('alert_channels')
    .selectAll()
    .where('tenant_id', '=', alert.tenantId)
    .where('kind', '=', 'webhook')
    .execute();
  const body = alertBody(alert);
  for (const channel of channels) {
    const secret = await deps.vault.openCredential(
      deps.db,
      channel.tenant_id,
      alertChannelSecretRef(channel.id),
      channel.secret_enc,
    );
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const res = await fetch(channel.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-cloison-timestamp': timestamp,
            'x-cloison-signature': signature(secret, timestamp, body),
          },
          body,
          redirect: 'error',
          signal: AbortSignal.timeout(5_000),
        });
        if (res.ok) break;
        throw new Error(`HTTP ${res.status}`);
      } catch (err) {
        if (attempt === 3) {
          deps.log.error(
            { channel: channel.id, err: err instanceof Error ? err.message : String(err) },
            'alert not delivered',
          );
        } else await new Promise((r) => setTimeout(r, attempt * 1_000));
      }
    }
    secret.fill(0);
  }
}
