import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { eventually, readDataFiles, stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * THREATS.md T6: "make 50 denied requests in a minute: an alert reaches the webhook". A real
 * HTTP receiver on 127.0.0.1 checks the HMAC signature as a SIEM would.
 */

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: RunningServer;
let world: World;
let hook: http.Server;
const received: Received[] = [];
let hookUrl = '';

beforeAll(async () => {
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/cloison`;
  server = await startServer();
  world = readWorld(server.dbFile);
});
afterAll(async () => {
  await stopAndRemove(server);
  await new Promise<void>((resolve) => hook.close(() => resolve()));
});

const tenantId = (code: string) => world.tenants.find((t) => t.code === code)!.id;

async function refusals(client: Client, n: number): Promise<void> {
  const foreign = world.cases.find((c) => c.tenant_id === tenantId('85'))!;
  for (let i = 0; i < n; i += 1) {
    expect((await client.get(`/api/v1/cases/${foreign.id}`)).status).toBe(404);
  }
}

describe('alerts', () => {
  let secret = '';

  it('an admin adds a webhook; its secret is shown once and kept sealed', async () => {
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    const refused = await admin.post('/api/v1/alert-channels', {
      json: { url: 'http://siem.example/hook' },
    });
    expect(refused.status).toBe(400);
    const res = await admin.post('/api/v1/alert-channels', { json: { url: hookUrl } });
    expect(res.status, res.text).toBe(201);
    secret = (res.json as { secret: string }).secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const { file: f, bytes } of readDataFiles(server.dataDir)) {
      expect(bytes.includes(secret), f).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'base64url')), f).toBe(false);
    }
    // The other département has a webhook of its own: it must never hear of this one's alerts.
    const admin85 = await new Client(server.baseUrl).login(server.account('admin', '85'));
    expect(
      (await admin85.post('/api/v1/alert-channels', { json: { url: `${hookUrl}-85` } })).status,
    ).toBe(201);
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    expect((await dpo.post('/api/v1/alert-channels', { json: { url: hookUrl } })).status).toBe(403);
  });

  it('49 refusals in a minute raise nothing; the 50th reaches the webhook, signed, in seconds', async () => {
    const usager = server.account('usager');
    const client = await new Client(server.baseUrl).login(usager);
    await refusals(client, 49);
    expect(queryDb(server.dbFile, 'select id from alerts')).toHaveLength(0);
    const started = Date.now();
    await refusals(client, 1);
    expect(await eventually(() => received.length === 1, 10_000)).toBe(true);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);

    const [call] = received;
    expect(call!.url).toBe('/cloison');
    const timestamp = String(call!.headers['x-cloison-timestamp']);
    const expected = `sha256=${createHmac('sha256', Buffer.from(secret, 'base64url'))
      .update(`${timestamp}.${call!.body}`)
      .digest('hex')}`;
    expect(call!.headers['x-cloison-signature']).toBe(expected);
    const body = JSON.parse(call!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      rule: 'refusal-burst',
      severity: 'high',
      tenant: tenantId('44'),
      subject: usager.id,
    });
    expect(body.count).toBeGreaterThanOrEqual(50);
    expect(call!.body).not.toContain(usager.email);

    // Still at it: the same alert counts the new refusals, nothing is sent twice.
    await refusals(client, 10);
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toHaveLength(1);
    expect(received.some((r) => r.url.endsWith('-85'))).toBe(false);
    const rows = queryDb<{ count: number }>(server.dbFile, 'select count from alerts');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.count).toBeGreaterThanOrEqual(60);
  });

  it('lands in the inbox of the DPO of that département only, who acknowledges and resolves it', async () => {
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const inbox = await dpo.get('/api/v1/alerts');
    expect(inbox.status).toBe(200);
    const [alert] = (inbox.json as { items: Array<{ id: string; status: string; title: string }> })
      .items;
    expect(alert?.status).toBe('open');
    // The DPO reads what the rule means, in French.
    expect(alert?.title).toMatch(/refuser/);
    const foreignDpo = await new Client(server.baseUrl).login(server.account('dpo', '85'));
    const foreignInbox = await foreignDpo.get('/api/v1/alerts');
    expect(foreignInbox.text).not.toContain(alert!.id);
    const foreignAck = await foreignDpo.post(`/api/v1/alerts/${alert!.id}/acknowledge`);
    const missingAck = await foreignDpo.post(
      '/api/v1/alerts/00000000-0000-4000-8000-000000000009/acknowledge',
    );
    expect(foreignAck.status).toBe(404);
    expect(foreignAck.text).toBe(missingAck.text);

    // Acknowledging commits with its audit record or not at all: nobody silences an alert unseen.
    writeDb(
      server.dbFile,
      `create trigger audit_events_refuse_alert_decisions before insert on audit_events
       when json_extract(new.entry, '$.action') = 'alert.manage'
       begin select raise(abort, 'disk full'); end`,
    );
    try {
      expect((await dpo.post(`/api/v1/alerts/${alert!.id}/acknowledge`)).status).toBe(500);
      expect(
        queryDb<{ status: string }>(
          server.dbFile,
          'select status from alerts where id = ?',
          alert!.id,
        ),
      ).toEqual([{ status: 'open' }]);
    } finally {
      writeDb(server.dbFile, 'drop trigger audit_events_refuse_alert_decisions');
    }
    expect((await dpo.post(`/api/v1/alerts/${alert!.id}/acknowledge`)).status).toBe(204);
    expect((await dpo.post(`/api/v1/alerts/${alert!.id}/resolve`)).status).toBe(204);
    expect((await dpo.post(`/api/v1/alerts/${alert!.id}/resolve`)).status).toBe(409);
    const after = await dpo.get('/api/v1/alerts');
    expect((after.json as { items: Array<{ status: string }> }).items[0]!.status).toBe('resolved');
  });
});
