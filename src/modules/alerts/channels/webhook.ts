import { createHmac } from 'node:crypto';
import type { RaisedAlert } from '../detection.js';
import { DeliveryError } from './delivery-error.js';

/** The body a webhook receives: identifiers and counts, never personal data. */
function alertBody(alert: RaisedAlert): string {
  return JSON.stringify({
    id: alert.id,
    tenant: alert.tenantId,
    rule: alert.rule,
    title: alert.title,
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
function signature(secret: Buffer, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** One signed POST; a redirect or a non-2xx answer is a failure (retried by the caller). */
export async function postWebhook(
  target: { url: string; secret: Buffer },
  alert: RaisedAlert,
  now: Date,
): Promise<void> {
  const body = alertBody(alert);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const res = await fetch(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-cloison-timestamp': timestamp,
      'x-cloison-signature': signature(target.secret, timestamp, body),
    },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(5_000),
  });
  // Drain the answer: an unread body keeps the connection busy.
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new DeliveryError(`HTTP_${res.status}`);
}
