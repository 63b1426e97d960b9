// The mail outbox's throughput: N mails queued with the checkout's own enqueueMail (sealed rows,
// as a service queues them) in a demo data directory, then a real server (`serve --demo`,
// CLOISON_SMTP_URL at a loopback SMTP receiver in this process) sends them: from the first
// mail received to the last row marked sent (deleted once delivered). Beside it, nodemailer
// with the mailer's own transport options sends the same N messages to the same receiver from
// a process of its own, as many at a time as the worker does. Called by bench/run.js
// --part=outbox as runOutboxBench (contract: bench/compare/provided-parts.js). That the outbox
// survives a restart is tested elsewhere (test/), not here.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCloison } from './cloison-server.js';
import { BENCH_ENV } from './compare/side.js';
import { int } from './stats.js';

const FULL_MAILS = 5_000;
const SMOKE_MAILS = 50;
/** The worker's claim (BATCH in src/modules/outbox/outbox-worker.ts): sent side by side. */
const WORKER_BATCH = 20;
const TIMEOUT_MS = 120_000;
const FROM = 'Cloison <no-reply@cloison.invalid>';
const MARK = 'Cloison bench';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6;

const TEXT =
  'Bonjour,\n\nUne nouvelle information est disponible dans votre espace Cloison. ' +
  'Connectez-vous à votre espace pour la consulter ; pour votre sécurité, ce message ne ' +
  'contient aucun détail de votre dossier.\n\nSi vous n’êtes pas à l’origine de cette ' +
  'démarche, vous pouvez ignorer ce message.\n\nLa maison départementale des personnes ' +
  'handicapées\n';

/** A mail as the platform sends them: French text that names nobody and says nothing of a file. */
function mailOf(i, n) {
  return {
    to: `bench-${i}@bench.invalid`,
    subject: `${MARK} ${i + 1}/${n}`,
    text: TEXT,
  };
}

/**
 * A loopback SMTP receiver in this process, the bench's mails timed as they end. Raw SMTP over
 * net rather than smtp-server (test/support/mailbox.ts): smtp-server greets each connection
 * 100 ms after it opens (its early-talker pause, not configurable), and one connection a mail
 * 20 at a time would then measure that pause on both sides, 160 mails/s whatever the sender.
 */
const OK = '250 OK\r\n';
const REPLIES = {
  EHLO: '250-bench.invalid\r\n250 8BITMIME\r\n',
  ...{ HELO: OK, MAIL: OK, RCPT: OK, RSET: OK, NOOP: OK },
  DATA: '354 end with <CRLF>.<CRLF>\r\n',
  QUIT: '221 2.0.0 bye\r\n',
};

async function startReceiver() {
  let expected = 0;
  let received = [];
  let onAll = () => {};
  const sockets = new Set();
  const arrived = (message) => {
    if (!message.includes(`\r\nSubject: ${MARK} `) && !message.startsWith(`Subject: ${MARK} `))
      return;
    received.push(now());
    if (received.length === expected) onAll();
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    let inData = false;
    socket.setEncoding('latin1');
    socket.write('220 bench.invalid ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          arrived(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 2.0.0 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol === -1) return;
        const verb = buffer.slice(0, eol).split(' ')[0].toUpperCase();
        buffer = buffer.slice(eol + 2);
        const reply = REPLIES[verb] ?? '502 5.5.2 not implemented\r\n';
        if (verb === 'QUIT') return void socket.end(reply);
        inData = verb === 'DATA';
        socket.write(reply);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${server.address().port}`,
    /** Starts counting afresh; resolves once `n` bench mails have arrived. */
    expect(n) {
      expected = n;
      received = [];
      return new Promise((resolve) => (onAll = resolve));
    },
    received: () => received,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  };
}

/**
 * A demo data directory with `n` bench mails queued for MDPH 44, under its lock and with the
 * app built as `cloison demo` builds it; the lock is given back before the server starts.
 */
async function queuedDataDir(root, smtpUrl, n) {
  const dist = (file) => import(pathToFileURL(path.join(root, 'dist/src', file)).href);
  const modules = ['config', 'app', 'storage/data-dir-lock', 'demo/seed', 'modules/outbox/enqueue'];
  const [{ loadConfig }, { buildApp }, { lockDataDir }, { seedDemo }, { enqueueMail }, tenants] =
    await Promise.all(
      [...modules, 'modules/tenants/tenant.repository'].map((m) => dist(`${m}.js`)),
    );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-outbox-'));
  const env = { CLOISON_DATA_DIR: dataDir, CLOISON_SMTP_URL: smtpUrl, LOG_LEVEL: 'error' };
  const config = loadConfig(env);
  const lock = lockDataDir(dataDir);
  try {
    const { app, deps } = await buildApp({ config, demo: true });
    try {
      await seedDemo(deps, dataDir);
      const tenant = await tenants.findTenantByCode(deps.db, '44');
      await deps.db.transaction().execute(async (trx) => {
        for (let i = 0; i < n; i += 1) {
          const { to, subject, text } = mailOf(i, n);
          const id = await enqueueMail(trx, deps, {
            tenantId: tenant.id,
            topic: 'bench',
            to: { address: to },
            subject,
            text,
          });
          if (id === null) throw new Error('enqueueMail queued nothing: no mailer');
        }
      });
    } finally {
      await app.close();
    }
  } finally {
    lock.release();
  }
  return dataDir;
}

/** The bench rows still in the outbox: { waiting, closed } (a sent row is deleted). */
function openCounter(require, dataDir) {
  const Database = require('better-sqlite3');
  const db = new Database(path.join(dataDir, 'cloison.sqlite'), { readonly: true });
  const count = db.prepare(
    `select coalesce(sum(status in ('pending', 'sending')), 0) as waiting,
            coalesce(sum(status not in ('pending', 'sending')), 0) as closed
     from outbox where topic = 'bench'`,
  );
  return { count: () => count.get(), close: () => db.close() };
}

async function measureCloison(root, require, receiver, n, log) {
  log(`outbox: queueing ${n} mails in a demo data directory (${root})`);
  const dataDir = await queuedDataDir(root, receiver.url, n);
  const counter = openCounter(require, dataDir);
  let server;
  try {
    if (counter.count().waiting !== n) throw new Error(`${counter.count().waiting} rows queued`);
    const all = receiver.expect(n);
    server = await startCloison(dataDir, root, { ...BENCH_ENV, CLOISON_SMTP_URL: receiver.url });
    const listening = now();
    log(`outbox: server listening, sending`);
    const deadline = Date.now() + TIMEOUT_MS;
    let left = counter.count();
    while (left.waiting > 0 && Date.now() < deadline) {
      await sleep(5);
      left = counter.count();
    }
    const durable = now();
    const arrived = receiver.received();
    if (left.waiting > 0 || left.closed > 0 || arrived.length !== n) {
      throw new Error(
        `outbox: ${arrived.length} of ${n} received, ${left.waiting} rows waiting, ${left.closed} bounced or dead`,
      );
    }
    await all;
    return {
      n,
      seconds: (durable - arrived[0]) / 1000,
      rate: (n - 1) / ((durable - arrived[0]) / 1000),
      fromListening: (durable - listening) / 1000,
    };
  } finally {
    counter.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The reference's sender: nodemailer with the options src/mail/mailer.ts gives a loopback relay
 * (one connection a message, no pool), `n` mails to `url` in batches of the worker's size.
 * Exported for the child process measureNodemailer starts.
 */
export async function sendThroughNodemailer(root, url, n) {
  const nodemailer = createRequire(path.join(root, 'package.json'))('nodemailer');
  const transport = nodemailer.createTransport({
    url,
    requireTLS: false,
    disableFileAccess: true,
    disableUrlAccess: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 25_000,
  });
  try {
    for (let i = 0; i < n; i += WORKER_BATCH) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + WORKER_BATCH); j += 1) {
        batch.push(transport.sendMail({ from: FROM, ...mailOf(j, n) }));
      }
      await Promise.all(batch);
    }
  } finally {
    transport.close();
  }
}

/**
 * The same mails straight to the receiver from a process of its own, as the server's worker
 * runs in its own: the sender and the receiver then have a core each on both sides.
 */
async function measureNodemailer(root, receiver, n, log) {
  log(`outbox: ${n} mails through nodemailer, ${WORKER_BATCH} at a time`);
  const all = receiver.expect(n);
  const script = `import { sendThroughNodemailer } from ${JSON.stringify(import.meta.url)};
await sendThroughNodemailer(${JSON.stringify(root)}, ${JSON.stringify(receiver.url)}, ${n});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`outbox: the nodemailer sender exited ${code}`);
  const arrived = receiver.received();
  if (arrived.length !== n)
    throw new Error(`outbox: nodemailer: ${arrived.length} of ${n} received`);
  await all;
  const seconds = (arrived[n - 1] - arrived[0]) / 1000;
  return { n, seconds, rate: (n - 1) / seconds };
}

const rateOf = (m) =>
  `${int(m.rate)} mails/s (${int(m.n)} in ${m.seconds.toFixed(2)} s` +
  (m.fromListening ? `; all sent ${m.fromListening.toFixed(2)} s after listening)` : ')');

export async function runOutboxBench({ smoke, root, baselineRoot, log }) {
  const require = createRequire(path.join(root, 'package.json'));
  const n = smoke ? SMOKE_MAILS : FULL_MAILS;
  const receiver = await startReceiver();
  try {
    const cloison = await measureCloison(root, require, receiver, n, log);
    const reference = await measureNodemailer(root, receiver, n, log);
    const row = {
      id: 'outbox-rate',
      figure: `mail outbox: ${int(n)} sealed rows queued by \`enqueueMail\`, sent by the server's worker (claims of ${WORKER_BATCH}, one SMTP connection a mail) to a loopback SMTP receiver, from the first mail received to the last row marked sent, beside nodemailer sending the same mails from a process of its own, ${WORKER_BATCH} at a time`,
      cloison: rateOf(cloison),
      reference: `nodemailer ${rateOf(reference)}`,
      ratio: cloison.rate / reference.rate,
      numbers: { cloison, reference },
    };
    if (baselineRoot && fs.existsSync(path.join(baselineRoot, 'dist/src/modules/outbox'))) {
      const theirs = await measureCloison(baselineRoot, require, receiver, n, log);
      row.baseline = {
        cloison: rateOf(theirs),
        reference: 'the same',
        ratio: theirs.rate / reference.rate,
      };
    } else if (baselineRoot) log(`outbox: the baseline's dist/ has no outbox: not measured there`);
    return [row];
  } finally {
    await receiver.close();
  }
}
