import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { eventually, readDataFiles, stopAndRemove } from './support/storage.js';
import {
  startSyslogReceiver,
  type SyslogFrame,
  type SyslogReceiver,
} from './support/syslog-receiver.js';
import { LOCALHOST_CERT } from './support/tls-localhost.js';

/**
 * Issue 5 item 5: an alert reaches every channel of its département within seconds, over real
 * receivers on 127.0.0.1 — a webhook (HMAC-signed), an SMTP mailbox, syslog over UDP, TCP and TLS
 * parsed by a strict RFC 5424 parser — and a receiver that is down harms nobody.
 */

const THRESHOLD = 5;

interface Posted {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: RunningServer;
let mailbox: Mailbox;
let udp: SyslogReceiver;
let tcp: SyslogReceiver;
let tlsReceiver: SyslogReceiver;
let operator: SyslogReceiver;
let hook: http.Server;
let hookUrl = '';
let deadPort = 0;
let caDir = '';
const posted: Posted[] = [];
/** A canary: the channel's e-mail address must never be on disk or in a log in clear. */
const address = `alertes-ssi-${randomBytes(6).toString('hex')}@cd44.example`;
const channels: Record<string, string> = {};
let secret = '';
let tenant44 = '';

/** A port on 127.0.0.1 that nothing listens on. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      posted.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/cloison-hook/t0k3n`;
  deadPort = await freePort();
  [mailbox, udp, tcp, tlsReceiver, operator] = await Promise.all([
    startMailbox(),
    startSyslogReceiver('udp'),
    startSyslogReceiver('tcp'),
    startSyslogReceiver('tls'),
    startSyslogReceiver('udp'),
  ]);
  // The TLS receiver's certificate is trusted by the server process only, as a private CA would be.
  caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-ca-'));
  fs.writeFileSync(path.join(caDir, 'ca.pem'), LOCALHOST_CERT);
  server = await startServer({
    env: {
      CLOISON_SMTP_URL: mailbox.url,
      CLOISON_ALERT_REFUSALS_PER_MINUTE: String(THRESHOLD),
      CLOISON_ALERT_SYSLOG_URL: operator.url,
      CLOISON_ALERT_SYSLOG_FACILITY: 'auth',
      NODE_EXTRA_CA_CERTS: path.join(caDir, 'ca.pem'),
    },
  });
  tenant44 = queryDb<{ id: string }>(server.dbFile, "select id from tenants where code = '44'")[0]!
    .id;
});
afterAll(async () => {
  await stopAndRemove(server);
  await Promise.all([mailbox, udp, tcp, tlsReceiver, operator].map((r) => r?.close()));
  await new Promise<void>((resolve) => hook.close(() => resolve()));
  fs.rmSync(caDir, { recursive: true, force: true });
});

async function refusals(client: Client, n: number): Promise<void> {
  const foreign = queryDb<{ id: string }>(
    server.dbFile,
    "select c.id from cases c join tenants t on t.id = c.tenant_id where t.code = '85' limit 1",
  )[0]!;
  for (let i = 0; i < n; i += 1) {
    expect((await client.get(`/api/v1/cases/${foreign.id}`)).status).toBe(404);
  }
}

const cloisonData = (f: SyslogFrame) =>
  f.structuredData.find((e) => e.id === 'cloison@32473')?.params ?? {};
const aboutSubject = (subject: string) => (f: SyslogFrame) =>
  cloisonData(f).subject === subject && f.msgId === 'refusal-burst';

type ChannelItem = { id: string; kind: string; target: string; facility?: string };

describe('alert channels', () => {
  it('an admin adds a webhook, an e-mail address and syslog receivers; the address is sealed', async () => {
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    const add = async (label: string, json: Record<string, unknown>) => {
      const res = await admin.post('/api/v1/alert-channels', { json });
      expect(res.status, `${label}: ${res.text}`).toBe(201);
      channels[label] = (res.json as { id: string }).id;
      return res.json as { id: string; secret?: string };
    };
    // Without `kind`: a webhook, as before channels had kinds.
    secret = (await add('webhook', { url: hookUrl })).secret ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const [label, json] of [
      ['email', { kind: 'email', address: address.toUpperCase() }],
      ['udp', { kind: 'syslog', url: udp.url }],
      ['tcp', { kind: 'syslog', url: tcp.url, facility: 'local4' }],
      ['tls', { kind: 'syslog', url: tlsReceiver.url, facility: 'authpriv' }],
      ['deadTcp', { kind: 'syslog', url: `syslog+tcp://127.0.0.1:${deadPort}` }],
      ['deadHook', { kind: 'webhook', url: `http://127.0.0.1:${deadPort}/down` }],
    ] as const) {
      const answer = await add(label, json);
      // A secret only for webhooks.
      expect(Object.keys(answer), label).toEqual(label === 'deadHook' ? ['id', 'secret'] : ['id']);
    }

    // T2: neither the address, the secret nor the webhook's token is in the data directory in clear.
    for (const { file, bytes } of readDataFiles(server.dataDir)) {
      expect(bytes.includes(address), file).toBe(false);
      expect(bytes.includes(address.toUpperCase()), file).toBe(false);
      expect(bytes.includes(secret), file).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'base64url')), file).toBe(false);
      // Nor the webhook's path, which holds the receiver's own token.
      expect(bytes.includes('t0k3n'), file).toBe(false);
    }

    const listed = await admin.get('/api/v1/alert-channels');
    expect(listed.status).toBe(200);
    const items = (listed.json as { items: ChannelItem[] }).items;
    expect(items.map((i) => i.id).sort()).toEqual(Object.values(channels).sort());
    const byId = (id: string) => items.find((i) => i.id === id)!;
    expect(byId(channels.email!)).toMatchObject({ kind: 'email', target: address });
    expect(byId(channels.tcp!)).toMatchObject({
      kind: 'syslog',
      target: tcp.url,
      facility: 'local4',
    });
    expect(byId(channels.udp!)).toMatchObject({ facility: 'local0' });
    // The webhook's path may hold the receiver's own token: its origin only.
    expect(byId(channels.webhook!).target).toBe(`${new URL(hookUrl).origin}/…`);
    expect(listed.text).not.toContain('t0k3n');
    expect(listed.text).not.toContain(secret);

    // The DPO sees where alerts go, the address's domain only, and cannot change anything.
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const seenByDpo = await dpo.get('/api/v1/alert-channels');
    expect(seenByDpo.status).toBe(200);
    expect(seenByDpo.text).not.toContain(address);
    expect(seenByDpo.text).toContain('…@cd44.example');
    expect((await dpo.post('/api/v1/alert-channels', { json: { url: hookUrl } })).status).toBe(403);

    // The other département sees none of them.
    const admin85 = await new Client(server.baseUrl).login(server.account('admin', '85'));
    const seenBy85 = await admin85.get('/api/v1/alert-channels');
    expect(seenBy85.status).toBe(200);
    expect((seenBy85.json as { items: unknown[] }).items).toEqual([]);

    // Every addition is a security event naming the kind, never the target.
    const events = queryDb<{ object_id: string; detail: string }>(
      server.dbFile,
      "select object_id, detail from security_events where kind = 'alert-channel.added'",
    );
    expect(events.map((e) => e.object_id).sort()).toEqual(Object.values(channels).sort());
    expect(events.find((e) => e.object_id === channels.email)!.detail).toBe('{"kind":"email"}');
  });

  it('refuses plain syslog or http off this machine and malformed targets, creating nothing', async () => {
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    const count = () => queryDb(server.dbFile, 'select id from alert_channels').length;
    const before = count();
    const refused: Array<Record<string, unknown>> = [
      { kind: 'syslog', url: 'syslog+udp://siem.example:514' },
      { kind: 'syslog', url: 'syslog+tcp://10.1.2.3:601' },
      { kind: 'syslog', url: 'syslog+tcp://[2001:db8::1]:601' },
      { kind: 'syslog', url: 'syslog+udp://192.168.0.1' },
      { kind: 'syslog', url: 'syslog+udp://user@127.0.0.1:514' },
      { kind: 'syslog', url: 'syslog+udp://127.0.0.1:514/path' },
      { kind: 'syslog', url: 'syslog+udp://127.0.0.1:514?x=1' },
      { kind: 'syslog', url: 'syslog+udp://127.0.0.1:70000' },
      { kind: 'syslog', url: 'syslog+udp://127.0.0.1:0' },
      { kind: 'syslog', url: 'syslog+foo://127.0.0.1:514' },
      { kind: 'syslog', url: 'https://siem.example/hook' },
      { kind: 'webhook', url: 'http://siem.example/hook' },
      { kind: 'webhook', url: 'syslog+tls://siem.example:6514' },
      { url: 'https://user:pw@siem.example/hook' },
      { kind: 'email', url: hookUrl },
      { kind: 'email' },
      { kind: 'syslog' },
      { kind: 'syslog', url: udp.url, address },
      { kind: 'webhook', url: hookUrl, facility: 'local0' },
      { kind: 'email', address: 'not-an-address' },
      { kind: 'syslog', url: udp.url, facility: 'kern' },
    ];
    for (const json of refused) {
      const res = await admin.post('/api/v1/alert-channels', { json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(count()).toBe(before);

    // TLS (RFC 5425) may go anywhere; removed at once so that no alert tries it.
    const remote = await admin.post('/api/v1/alert-channels', {
      json: { kind: 'syslog', url: 'syslog+tls://SIEM.example' },
    });
    expect(remote.status, remote.text).toBe(201);
    const id = (remote.json as { id: string }).id;
    const shown = ((await admin.get('/api/v1/alert-channels')).json as { items: ChannelItem[] })
      .items;
    expect(shown.find((i) => i.id === id)?.target).toBe('syslog+tls://siem.example:6514');
    expect((await admin.delete(`/api/v1/alert-channels/${id}`)).status).toBe(204);
    expect(count()).toBe(before);
  });

  it('a burst of refusals reaches every channel within seconds, each in its own format', async () => {
    const usager = server.account('usager');
    const client = await new Client(server.baseUrl).login(usager);
    await refusals(client, THRESHOLD - 1);
    const started = Date.now();
    await refusals(client, 1);
    // Two channels are down (each tried three times): the request path did not wait for them.
    expect(Date.now() - started).toBeLessThan(1_000);

    // Other alerts may reach the same mailbox (a channel removed earlier raises its own).
    const burstMail = () => mailbox.to(address).find((m) => m.subject.endsWith('refusal-burst'));
    expect(await eventually(() => burstMail() !== undefined, 10_000)).toBe(true);
    const mail = burstMail()!;
    const fromUdp = await udp.waitFor(aboutSubject(usager.id));
    const fromTcp = await tcp.waitFor(aboutSubject(usager.id));
    const fromTls = await tlsReceiver.waitFor(aboutSubject(usager.id));
    expect(
      await eventually(() => posted.some((p) => p.url === '/cloison-hook/t0k3n'), 10_000),
    ).toBe(true);
    expect((Date.now() - started) / 1000).toBeLessThan(10);

    const [alert] = queryDb<{ id: string; count: number; first_at: string }>(
      server.dbFile,
      "select id, count, first_at from alerts where subject = ? and rule = 'refusal-burst'",
      usager.id,
    );
    expect(alert).toBeDefined();

    // Webhook: signed, identifiers only.
    const call = posted.find((p) => p.body.includes(alert!.id))!;
    const timestamp = String(call.headers['x-cloison-timestamp']);
    expect(call.headers['x-cloison-signature']).toBe(
      `sha256=${createHmac('sha256', Buffer.from(secret, 'base64url'))
        .update(`${timestamp}.${call.body}`)
        .digest('hex')}`,
    );
    expect(JSON.parse(call.body)).toMatchObject({
      id: alert!.id,
      tenant: tenant44,
      rule: 'refusal-burst',
      severity: 'high',
      subject: usager.id,
    });

    // E-mail: the French subject, ids, counts and times, how to open the inbox; nothing personal.
    expect(mail.subject).toBe('[Cloison] Alerte élevée : refusal-burst');
    expect(mail.text).toContain(alert!.id);
    expect(mail.text).toContain(tenant44);
    expect(mail.text).toContain(`Nombre d’événements : ${THRESHOLD}`);
    expect(mail.text).toContain(alert!.first_at);
    expect(mail.text).toContain('GET /api/v1/alerts');
    expect(mail.text).not.toContain(usager.email);

    // Syslog: RFC 5424, PRI = facility × 8 + severity (high → 3, error).
    for (const [frame, facility] of [
      [fromUdp, 16],
      [fromTcp, 20],
      [fromTls, 10],
    ] as const) {
      expect(frame.pri).toBe(facility * 8 + 3);
      expect(frame.version).toBe(1);
      expect(frame.appName).toBe('cloison');
      expect(frame.procId).toMatch(/^\d+$/);
      expect(frame.hostname).not.toBeNull();
      expect(Math.abs(Date.parse(frame.timestamp!) - Date.now())).toBeLessThan(60_000);
      expect(frame.timestamp).toMatch(/Z$/);
      expect(cloisonData(frame)).toMatchObject({
        alert: alert!.id,
        tenant: tenant44,
        rule: 'refusal-burst',
        severity: 'high',
        count: String(THRESHOLD),
      });
      expect(frame.bom).toBe(true);
      expect(frame.msg).toContain('Alerte élevée : refusal-burst');
      expect(JSON.stringify(frame)).not.toContain(usager.email);
    }
    // Octet counting over TCP and TLS: each frame on its own connection.
    expect(tcp.connections()).toBeGreaterThanOrEqual(1);
    expect(tlsReceiver.connections()).toBeGreaterThanOrEqual(1);
    for (const r of [udp, tcp, tlsReceiver]) expect(r.errors).toEqual([]);

    // The channels that are down were tried three times, logged by id and code only.
    const gaveUp = (id: string) =>
      server
        .output()
        .split('\n')
        .some((l) => l.includes('alert not delivered') && l.includes(id));
    expect(
      await eventually(() => gaveUp(channels.deadTcp!) && gaveUp(channels.deadHook!), 15_000),
    ).toBe(true);
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('alert not delivered') && l.includes(channels.deadTcp!))!;
    expect(JSON.parse(line)).toMatchObject({ code: 'ECONNREFUSED', attempts: 3, kind: 'syslog' });
  });

  it('a platform alert (no département) goes to the operator’s syslog only', async () => {
    const anonymous = new Client(server.baseUrl);
    const before = posted.length;
    for (let i = 0; i < THRESHOLD; i += 1) {
      expect((await anonymous.get('/api/v1/cases')).status).toBe(401);
    }
    const frame = await operator.waitFor((f) => f.msgId === 'refusal-burst');
    // auth (4) × 8 + error (3).
    expect(frame.pri).toBe(35);
    const data = cloisonData(frame);
    expect(data.tenant).toBeUndefined();
    expect(data.subject).toMatch(/^address:[0-9a-f]{32}$/);
    expect(operator.errors).toEqual([]);
    await new Promise((r) => setTimeout(r, 500));
    expect(posted.slice(before).filter((p) => p.body.includes(data.alert!))).toEqual([]);
    expect(udp.frames.some((f) => cloisonData(f).alert === data.alert)).toBe(false);
  });

  it('another département’s admin: DELETE and test answer exactly like a missing channel', async () => {
    const admin85 = await new Client(server.baseUrl).login(server.account('admin', '85'));
    const missing = '00000000-0000-4000-8000-00000000abcd';
    const mails = mailbox.messages.length;
    for (const [method, suffix] of [
      ['DELETE', ''],
      ['POST', '/test'],
    ] as const) {
      const foreign = await admin85.request(
        method,
        `/api/v1/alert-channels/${channels.email}${suffix}`,
      );
      const absent = await admin85.request(method, `/api/v1/alert-channels/${missing}${suffix}`);
      expect(foreign.status).toBe(404);
      expect(foreign.text).toBe(absent.text);
    }
    // The DPO of the channel's own département is stopped by the role gate.
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    expect((await dpo.delete(`/api/v1/alert-channels/${channels.email}`)).status).toBe(403);
    expect((await dpo.post(`/api/v1/alert-channels/${channels.email}/test`)).status).toBe(403);

    expect(
      queryDb(server.dbFile, 'select id from alert_channels where id = ?', channels.email),
    ).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailbox.messages.length).toBe(mails);
    const denied = queryDb<{ object_id: string }>(
      server.dbFile,
      "select object_id from security_events where kind = 'access.denied' and object_type = 'alert-channel'",
    );
    expect(denied.map((d) => d.object_id)).toEqual([channels.email, channels.email]);
  });

  it('the test button sends a test alert now and says when a receiver is down', async () => {
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    const test = (id: string) => admin.post(`/api/v1/alert-channels/${id}/test`);

    const mails = mailbox.messages.length;
    const byMail = await test(channels.email!);
    expect(byMail.json).toEqual({ delivered: true });
    const mail = await mailbox.waitFor(address, { since: mails });
    expect(mail.subject).toBe('[Cloison] Alerte faible : channel-test');

    expect((await test(channels.tls!)).json).toEqual({ delivered: true });
    const frame = await tlsReceiver.waitFor((f) => f.msgId === 'channel-test');
    expect(frame.pri).toBe(10 * 8 + 5);

    const started = Date.now();
    const down = await test(channels.deadTcp!);
    expect(down.status).toBe(200);
    expect(down.json).toEqual({ delivered: false });
    expect(Date.now() - started).toBeLessThan(6_000);

    const tested = queryDb<{ object_id: string; detail: string }>(
      server.dbFile,
      "select object_id, detail from security_events where kind = 'alert-channel.tested' order by id",
    );
    expect(tested.map((t) => [t.object_id, JSON.parse(t.detail).delivered])).toEqual([
      [channels.email, true],
      [channels.tls, true],
      [channels.deadTcp, false],
    ]);
  });

  it('TLS is verified: a certificate that does not name the host is refused', async () => {
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    // Same receiver, reached by address: its certificate names "localhost" only.
    const byAddress = await admin.post('/api/v1/alert-channels', {
      json: { kind: 'syslog', url: `syslog+tls://127.0.0.1:${tlsReceiver.port}` },
    });
    expect(byAddress.status).toBe(201);
    const id = (byAddress.json as { id: string }).id;
    const frames = tlsReceiver.frames.length;
    expect((await admin.post(`/api/v1/alert-channels/${id}/test`)).json).toEqual({
      delivered: false,
    });
    expect(tlsReceiver.frames.length).toBe(frames);
    // The log line crosses the child's stdout pipe after the answer: wait for it.
    expect(
      await eventually(() => server.output().includes('ERR_TLS_CERT_ALTNAME_INVALID'), 5_000),
    ).toBe(true);
    expect((await admin.delete(`/api/v1/alert-channels/${id}`)).status).toBe(204);
  });

  it('a TCP receiver that went down and came back gets the next message: each delivery reconnects', async () => {
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    const port = tcp.port;
    await tcp.close();
    expect((await admin.post(`/api/v1/alert-channels/${channels.tcp}/test`)).json).toEqual({
      delivered: false,
    });
    tcp = await startSyslogReceiver('tcp', { port });
    expect((await admin.post(`/api/v1/alert-channels/${channels.tcp}/test`)).json).toEqual({
      delivered: true,
    });
    const frame = await tcp.waitFor((f) => f.msgId === 'channel-test');
    expect(frame.pri).toBe(20 * 8 + 5);
    expect(tcp.errors).toEqual([]);
  });

  it('a removed channel hears nothing more; removing it is a security event', async () => {
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    expect((await admin.delete(`/api/v1/alert-channels/${channels.webhook}`)).status).toBe(204);
    expect((await admin.delete(`/api/v1/alert-channels/${channels.webhook}`)).status).toBe(404);
    const removed = queryDb<{ object_id: string; detail: string }>(
      server.dbFile,
      "select object_id, detail from security_events where kind = 'alert-channel.removed'",
    );
    expect(removed.map((r) => r.object_id)).toContain(channels.webhook);

    const usager2 = server.account('usager-2');
    const before = posted.length;
    const mails = mailbox.messages.length;
    await refusals(await new Client(server.baseUrl).login(usager2), THRESHOLD);
    await udp.waitFor(aboutSubject(usager2.id));
    await mailbox.waitFor(address, { since: mails });
    await new Promise((r) => setTimeout(r, 500));
    expect(posted.slice(before).filter((p) => p.url.startsWith('/cloison-hook'))).toEqual([]);
  });

  it('logs name channels by id and failures by code: no address, no webhook path', () => {
    const output = server.output();
    expect(output).toContain('alert not delivered');
    expect(output).not.toContain(address);
    expect(output).not.toContain('t0k3n');
    expect(output).not.toContain(`127.0.0.1:${deadPort}`);
  });
});
