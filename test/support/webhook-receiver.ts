import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '../harness/client.js';
import type { RunningServer } from '../harness/server.js';

/** An alert as a webhook receives it. */
export interface ReceivedAlert {
  id: string;
  tenant: string | null;
  rule: string;
  severity: string;
  subject: string;
  count: number;
  evidence: number[];
  [key: string]: unknown;
}

export interface WebhookReceiver {
  /** Base URL; each tenant's webhook is `${url}/<tenant code>`. */
  url: string;
  /** Every alert received so far, with the path it was posted to. */
  received: Array<{ path: string; body: string; alert: ReceivedAlert }>;
  /** The alerts of one rule posted to one tenant's webhook. */
  alerts(tenantCode: string, rule: string): ReceivedAlert[];
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1, as a SIEM would run one. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookReceiver['received'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body, alert: JSON.parse(body) as ReceivedAlert });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    alerts: (code, rule) =>
      received.filter((r) => r.path === `/${code}` && r.alert.rule === rule).map((r) => r.alert),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Each named département's admin adds a webhook to the receiver, at `${url}/<code>`, as an admin
 * would through the API (so `alerts(code, rule)` reads that département's alerts).
 */
export async function subscribeDepartements(
  server: RunningServer,
  hooks: WebhookReceiver,
  codes: readonly string[] = ['44', '85'],
): Promise<void> {
  for (const code of codes) {
    const admin = await new Client(server.baseUrl).login(server.account('admin', code));
    const res = await admin.post('/api/v1/alert-channels', {
      json: { url: `${hooks.url}/${code}` },
    });
    if (res.status !== 201) throw new Error(`webhook for ${code}: ${res.status} ${res.text}`);
  }
}
