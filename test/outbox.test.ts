/**
 * The outbox (src/modules/outbox): a mail or an alert delivery is a row committed with the
 * change that causes it, so a receiver that is down, or a crash (SIGKILL), delays it and loses
 * nothing; the worker retries with a doubling wait; a permanent refusal is a bounce, logged
 * without the address; and nothing a queued mail holds (its link, a one-time token) is readable
 * in the data directory or the logs.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { eventually, listFiles, stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

const RESET = '/api/v1/auth/password-reset';
const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const done of cleanup.reverse()) await done().catch(() => undefined);
});

/** A port nothing listens on (yet): a receiver that is down. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

interface OutboxRow {
  id: string;
  kind: string;
  topic: string;
  status: string;
  attempts: number;
  last_error: string | null;
  account_id: string | null;
}
const outboxRows = (server: RunningServer) =>
  queryDb<OutboxRow>(
    server.dbFile,
    'select id, kind, topic, status, attempts, last_error, account_id from outbox',
  );

/** Files of the data directory holding any of these values, as UTF-8, UTF-16 or base64. */
function filesHolding(dir: string, values: string[]): string[] {
  const needles = values.flatMap((v) => [
    Buffer.from(v, 'utf8'),
    Buffer.from(v, 'utf16le'),
    Buffer.from(Buffer.from(v).toString('base64').slice(0, -4), 'utf8'),
  ]);
  return listFiles(dir).filter((file) => {
    const bytes = fs.readFileSync(path.join(dir, file));
    return needles.some((n) => bytes.includes(n));
  });
}

/** The JSON log lines of the server that mention this value. */
const logLines = (server: RunningServer, value: string) =>
  server
    .output()
    .split('\n')
    .filter((l) => l.includes(value))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a queued mail', () => {
  it('survives SIGKILL while the relay is down, holds nothing readable at rest, and arrives once after restart', async () => {
    const down = await closedPort();
    const first = await startServer({
      env: { CLOISON_SMTP_URL: `smtp://127.0.0.1:${down}`, CLOISON_OUTBOX_RETRY_SECONDS: '1' },
    });
    const dataDir = first.dataDir;
    cleanup.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const usager = first.account('usager');
    const res = await new Client(first.baseUrl).post(RESET, { json: { email: usager.email } });
    expect(res.status, res.text).toBe(202);
    expect(
      await eventually(() =>
        outboxRows(first).some((r) => r.attempts >= 1 && r.last_error === 'ESOCKET'),
      ),
    ).toBe(true);
    const [row] = outboxRows(first);
    // The row names the account, never its address; its address is read when it leaves.
    expect(row).toMatchObject({ kind: 'mail', topic: 'reset-password', account_id: usager.id });
    // The link, its one-time token and the text are sealed: no file of the data directory
    // (database, WAL, keys) and no log line holds them.
    const clear = ['jeton=', 'nouveau-mot-de-passe', 'Choisir un nouveau mot de passe'];
    expect(filesHolding(dataDir, clear)).toEqual([]);
    for (const value of [...clear, usager.email]) expect(first.output()).not.toContain(value);

    await first.kill();
    const mailbox = await startMailbox();
    cleanup.push(() => mailbox.close());
    const second = await startServer({ dataDir, env: { CLOISON_SMTP_URL: mailbox.url } });
    cleanup.push(() => second.stop());
    const mail = await mailbox.waitFor(usager.email, { timeoutMs: 15_000 });
    expect(mail.subject).toBe('Choisir un nouveau mot de passe');
    expect(mail.text).toContain('jeton=');
    await new Promise((r) => setTimeout(r, 2_000));
    expect(mailbox.to(usager.email)).toHaveLength(1);
    // Sent, then forgotten: the row and its sealed link are gone.
    expect(outboxRows(second)).toEqual([]);
  });
});

describe('the worker', () => {
  let server: RunningServer;
  let mailbox: Mailbox;

  it('retries with a doubling wait until the relay answers, then delivers once', async () => {
    const port = await closedPort();
    server = await startServer({
      env: { CLOISON_SMTP_URL: `smtp://127.0.0.1:${port}`, CLOISON_OUTBOX_RETRY_SECONDS: '1' },
    });
    cleanup.push(() => stopAndRemove(server));
    const usager = server.account('usager');
    const bounced = server.account('usager-2');
    const disabled = server.account('parent');
    await new Client(server.baseUrl).post(RESET, { json: { email: usager.email } });
    expect(await eventually(() => outboxRows(server).length === 1)).toBe(true);
    const id = outboxRows(server)[0]!.id;
    // Queued while the account was active; disabled before the relay answers: it gets nothing.
    await new Client(server.baseUrl).post(RESET, { json: { email: disabled.email } });
    expect(await eventually(() => outboxRows(server).length === 2)).toBe(true);
    const disabledRow = outboxRows(server).find((r) => r.account_id === disabled.id)!;
    writeDb(server.dbFile, "update accounts set status = 'disabled' where id = ?", disabled.id);
    // The address is the account's when the mail leaves, not when it was queued.
    const moved = `moved-${Date.now()}@demo.cloison.test`;
    writeDb(server.dbFile, 'update accounts set email = ? where id = ?', moved, usager.id);
    const waits = () =>
      logLines(server, id)
        .filter((l) => l.msg === 'outbox: delivery failed, will retry')
        .map((l) => l.retryInSeconds);
    expect(await eventually(() => waits().length >= 3, 15_000)).toBe(true);
    expect(waits().slice(0, 3)).toEqual([1, 2, 4]);

    mailbox = await startMailbox({ port, refuse: [bounced.email] });
    cleanup.push(() => mailbox.close());
    await mailbox.waitFor(moved, { timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(mailbox.to(moved)).toHaveLength(1);
    expect(mailbox.to(usager.email)).toEqual([]);
    expect(logLines(server, id).some((l) => l.msg === 'outbox: delivered')).toBe(true);
    expect(await eventually(() => !outboxRows(server).some((r) => r.id === disabledRow.id))).toBe(
      true,
    );
    expect(mailbox.to(disabled.email)).toEqual([]);
    expect(
      await eventually(() =>
        logLines(server, disabledRow.id).some((l) => l.code === 'ACCOUNT_INACTIVE'),
      ),
    ).toBe(true);
  });

  it('marks a permanent refusal as a bounce, logged by id and code, never by address', async () => {
    const refused = server.account('usager-2');
    const res = await new Client(server.baseUrl).post(RESET, { json: { email: refused.email } });
    expect(res.status).toBe(202);
    const seen = await eventually(
      () => outboxRows(server).some((r) => r.status === 'bounced'),
      10_000,
    );
    expect(seen, `${JSON.stringify(outboxRows(server))}\n${server.output().slice(-3000)}`).toBe(
      true,
    );
    const row = outboxRows(server).find((r) => r.status === 'bounced')!;
    expect(row).toMatchObject({ last_error: 'SMTP_550', account_id: refused.id, attempts: 1 });
    // A bounce is not retried, and its sealed content is wiped.
    expect(
      queryDb(server.dbFile, 'select payload_enc from outbox where id = ?', row.id)[0],
    ).toEqual({ payload_enc: null });
    // The log line follows the row's update: it may reach the pipe a moment later.
    const bounceLines = () =>
      logLines(server, row.id).filter((l) => String(l.msg).includes('bounce'));
    expect(await eventually(() => bounceLines().length === 1)).toBe(true);
    const [line] = bounceLines();
    expect(line).toMatchObject({ code: 'SMTP_550', account: refused.id, outbox: row.id });
    expect(server.output()).not.toContain(refused.email);
    expect(mailbox.to(refused.email)).toEqual([]);
  });
});

describe('an alert raised while its webhook is down', () => {
  it('reaches the webhook once it is back, across a restart', async () => {
    const port = await closedPort();
    const env = { CLOISON_OUTBOX_RETRY_SECONDS: '1' };
    const first = await startServer({ env });
    const dataDir = first.dataDir;
    cleanup.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const world = readWorld(first.dbFile);
    const admin = await new Client(first.baseUrl).login(first.account('admin'));
    const added = await admin.post('/api/v1/alert-channels', {
      json: { url: `http://127.0.0.1:${port}/hook` },
    });
    expect(added.status, added.text).toBe(201);

    const usager = await new Client(first.baseUrl).login(first.account('usager'));
    const mine = world.tenants.find((t) => t.code === '44')!.id;
    const other = world.cases.find((c) => c.tenant_id !== mine)!;
    for (let i = 0; i < 50; i += 1) {
      expect((await usager.get(`/api/v1/cases/${other.id}`)).status).toBe(404);
    }
    expect(
      await eventually(
        () => outboxRows(first).some((r) => r.kind === 'alert' && r.last_error === 'ECONNREFUSED'),
        15_000,
      ),
    ).toBe(true);
    await first.kill();

    const received: string[] = [];
    const hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(port, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => hook.close(() => resolve())));
    const second = await startServer({ dataDir, env });
    cleanup.push(() => second.stop());
    const bursts = () =>
      received
        .map((b) => JSON.parse(b) as { rule: string })
        .filter((b) => b.rule === 'refusal-burst');
    expect(await eventually(() => bursts().length >= 1, 30_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(bursts()).toHaveLength(1);
    expect(bursts()[0]).toMatchObject({ tenant: mine });
    expect(outboxRows(second).filter((r) => r.kind === 'alert')).toEqual([]);
  }, 120_000);
});
