// An export run on a real MDPH's volume: the 100,000 cases of `cloison demo --scale` (the data
// directory bench/scale.js seeds and caches; smoke: the plain demo), documents added through the
// API until MDPH 44 holds 1 GB of them, then an instruction for every case, five fields and all
// seven categories, ordered by the responsable and approved by the DPO. Figures: MB/s from the
// approval to `ready` beside age-encryption encrypting as many bytes in the bench's process, the
// export process's peak RSS during the run (and the server's), and the instructeur's queue p99 while a second run goes on.
// Called by bench/run.js --part=exports as runExportsBench (see bench/compare/provided-parts.js).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { signIn, startCloison } from './cloison-server.js';
import { BENCH_ENV, pdfOf } from './compare/side.js';
import { ratioText } from './compare/figures.js';
import { rssMb, sampleWithChildren } from './proc.js';
import { seededDir, waitUntilSettled, workingCopy } from './scale.js';
import { measure, runWrk } from './wrk.js';
import { DOCUMENT_CATEGORIES } from '../dist/src/policy/vocabulary.js';

const FULL_CASES = 100_000;
const TARGET_BYTES = 1e9;
/** The upload limit's default is 20 MiB: the added pieces stay under it. */
const PIECE_BYTES = 20_000_000;
const CONNECTIONS = 16;
const AGE_CHUNK = 64 * 1024;
const RSS_TARGET_MB = 256;
/** The audit checkpoint job's first run (default period), which builds every chain's tree. */
const FIRST_CHECKPOINT_MS = 60_000;
const FIELDS = ['case.reference', 'case.status', 'case.dates', 'case.decisions', 'person.lastName'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const int = (n) => Math.round(n).toLocaleString('en');
const mb = (bytes) => bytes / 1e6;
const mbText = (bytes) => `${int(mb(bytes))} MB`;

/** What MDPH 44's cases hold: how many, and their documents' stored bytes (every category). */
function holdings(dataDir) {
  const db = new Database(path.join(dataDir, 'cloison.sqlite'), { readonly: true });
  try {
    return db
      .prepare(
        `select (select count(*) from cases where tenant_id = t.id) as cases,
         (select coalesce(sum(d.size_bytes), 0) from documents d join cases c on c.id = d.case_id
          where c.tenant_id = t.id) as bytes from tenants t where t.code = '44'`,
      )
      .get();
  } finally {
    db.close();
  }
}

async function call(url, cookie, method, urlPath, body) {
  const res = await fetch(`${url}${urlPath}`, {
    method,
    headers: {
      cookie,
      origin: url,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${urlPath}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Uploads `count` pieces of `size` bytes to the usager's draft: each one's bytes its own. */
async function addPieces(url, cookie, count, size, log) {
  const { items } = await call(url, cookie, 'GET', '/api/v1/cases');
  const draft = items.find((c) => c.status === 'brouillon');
  if (!draft) throw new Error('the usager of 44 has no draft to add pieces to');
  const bytes = pdfOf(size);
  for (let i = 0; i < count; i++) {
    // Different bytes for each piece (after the magic bytes), not a copy of the first one.
    bytes.writeUInt32BE(i, 16);
    randomBytes(4096).copy(bytes, 32);
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), `bench-${i}.pdf`);
    const res = await fetch(`${url}/api/v1/cases/${draft.id}/documents?category=other`, {
      method: 'POST',
      headers: { cookie, origin: url },
      body: form,
    });
    if (res.status !== 201) throw new Error(`upload ${i}: ${res.status} ${await res.text()}`);
    if ((i + 1) % 10 === 0) log(`exports: ${i + 1} of ${count} pieces added`);
  }
}

/** Orders the export (responsable) and approves it (DPO); returns its id and the approval time. */
async function orderAndApprove(url, cookies, ageRecipient) {
  const { id } = await call(url, cookies.responsable, 'POST', '/api/v1/export-instructions', {
    kind: 'export',
    purpose: 'Mesure du débit des exports sur le volume d’une MDPH',
    legalBasis: 'Mission d’intérêt public (RGPD art. 6.1.e)',
    recipient: {
      name: 'Service médical de test',
      contact: 'bench@cd44.example.fr',
      ageRecipient,
      medical: true,
    },
    medicalReason: 'Les pièces médicales font partie du volume mesuré',
    scope: { all: true },
    fields: FIELDS,
    documentCategories: [...DOCUMENT_CATEGORIES],
    expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  await call(url, cookies.dpo, 'POST', `/api/v1/export-instructions/${id}/approval`);
  return { id, approvedAt: performance.now() };
}

/** Polls every 200 ms until the run is `status` (or past it); throws on failure. */
async function waitFor(url, cookie, id, statuses, maxMs) {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const view = await call(url, cookie, 'GET', `/api/v1/export-instructions/${id}`);
    if (statuses.includes(view.status)) return { view, at: performance.now() };
    if (view.status === 'failed') throw new Error(`export ${id} failed: ${view.run?.failure}`);
    if (Date.now() > deadline) throw new Error(`export ${id} still ${view.status}`);
    await sleep(200);
  }
}

/** age-encryption as the checkout has it: the library the server encrypts exports with. */
const loadAge = (root) =>
  import(pathToFileURL(path.join(root, 'node_modules/age-encryption/dist/index.js')).href);

/** age-encryption alone, one X25519 recipient, `total` bytes in 64 KiB chunks of random bytes. */
async function ageRate(age, total) {
  const recipient = await age.identityToRecipient(await age.generateX25519Identity());
  const pool = Array.from({ length: 16 }, () => new Uint8Array(randomBytes(AGE_CHUNK)));
  let sent = 0;
  const source = new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const chunk = pool[((sent / AGE_CHUNK) % pool.length) | 0];
      const n = Math.min(chunk.length, total - sent);
      controller.enqueue(n === chunk.length ? chunk : chunk.subarray(0, n));
      sent += n;
    },
  });
  const encrypter = new age.Encrypter();
  encrypter.addRecipient(recipient);
  const started = performance.now();
  const reader = (await encrypter.encrypt(source)).getReader();
  let out = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) out += r.value.length;
  const seconds = (performance.now() - started) / 1000;
  if (out < total) throw new Error(`age-encryption wrote ${out} bytes for ${total}`);
  return { seconds, mbPerSecond: mb(total) / seconds };
}

function checked(label, result) {
  if (result.requests === 0 || result.failed > 0) {
    throw new Error(`${label}: ${result.requests} requests, ${result.failed} failed`);
  }
  return result;
}

/** One export timed from its approval to `ready`, the server's RSS sampled all along. */
async function timedRun(url, cookies, recipient, pid, maxMs) {
  const sampler = sampleWithChildren(pid, 'run-job', 50);
  try {
    const { id, approvedAt } = await orderAndApprove(url, cookies, recipient);
    const { view, at } = await waitFor(url, cookies.responsable, id, ['ready'], maxMs);
    return { id, view, seconds: (at - approvedAt) / 1000, rss: sampler.stop() };
  } catch (error) {
    sampler.stop();
    throw error;
  }
}

/** A second run with wrk on the queue while it goes on; the RSS sampled until it is ready. */
async function loadedRun(url, cookies, recipient, pid, maxMs, options) {
  const sampler = sampleWithChildren(pid, 'run-job', 50);
  try {
    const run = await orderAndApprove(url, cookies, recipient);
    await waitFor(url, cookies.responsable, run.id, ['running', 'ready'], maxMs);
    const loaded = checked('queue during the run', await runWrk(`${url}/api/v1/cases`, options));
    const view = await call(
      url,
      cookies.responsable,
      'GET',
      `/api/v1/export-instructions/${run.id}`,
    );
    const done = await waitFor(url, cookies.responsable, run.id, ['ready'], maxMs);
    return {
      loaded,
      coveredAll: view.status === 'running',
      secondSeconds: (done.at - run.approvedAt) / 1000,
      loadedRss: sampler.stop(),
    };
  } catch (error) {
    sampler.stop();
    throw error;
  }
}

async function measureExports(root, { smoke, seconds, warmup, log }) {
  let dataDir;
  let seeded = null;
  if (smoke) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-exports-'));
  } else {
    seeded = await seededDir(root, FULL_CASES, log);
    dataDir = workingCopy(seeded.dir);
  }
  let server;
  try {
    const startedAt = Date.now();
    server = await startCloison(dataDir, root, BENCH_ENV);
    const pid = server.child.pid;
    const accounts = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8'),
    ).accounts;
    const of = (label) => accounts.find((a) => a.label === label && a.tenant === '44');
    const cookies = {};
    for (const label of ['responsable', 'dpo', 'instructeur', 'usager']) {
      cookies[label] = await signIn(server.url, of(label));
    }
    const before = holdings(dataDir);
    const [count, size] = smoke
      ? [2, 1_000_000]
      : [Math.max(0, Math.ceil((TARGET_BYTES - before.bytes) / PIECE_BYTES)), PIECE_BYTES];
    log(
      `exports: 44 holds ${int(before.cases)} cases, ${mbText(before.bytes)} of documents; adding ${count} × ${mbText(size)}`,
    );
    await addPieces(server.url, cookies.usager, count, size, log);
    const held = holdings(dataDir);
    if (!smoke) {
      // Start-up work over the whole audit log, then its first signed checkpoint, are not the run's.
      const firstCheckpoint = startedAt + FIRST_CHECKPOINT_MS + 5_000 - Date.now();
      if (firstCheckpoint > 0) await sleep(firstCheckpoint);
    }
    await waitUntilSettled(pid, smoke ? 5_000 : 5 * 60_000);
    const restMb = rssMb(pid);
    const age = await loadAge(root);
    const recipient = await age.identityToRecipient(await age.generateX25519Identity());
    const maxMs = smoke ? 30_000 : 10 * 60_000;

    log(`exports: run 1, quiet (${int(held.cases)} cases, ${mbText(held.bytes)} of documents)`);
    const quiet = await timedRun(server.url, cookies, recipient, pid, maxMs);
    const bytes = quiet.view.run.bytes;
    log(
      `exports: ${mbText(bytes)} in ${quiet.seconds.toFixed(1)} s; age-encryption on as many bytes`,
    );
    const reference = await ageRate(age, bytes);

    await waitUntilSettled(pid, 30_000);
    const connections = smoke ? 4 : CONNECTIONS;
    const options = { connections, seconds, headers: { cookie: cookies.instructeur } };
    log(`exports: the queue at rest, ${connections} connections`);
    const rest = checked(
      'queue at rest',
      await measure(`${server.url}/api/v1/cases`, options, warmup),
    );
    // The second run lasts about as long as the first; wrk stops well before it ends.
    const during = Math.max(1, Math.min(seconds, Math.floor(quiet.seconds * 0.6)));
    log(`exports: run 2 with the queue under load for ${during} s`);
    const second = await loadedRun(server.url, cookies, recipient, pid, maxMs, {
      ...options,
      seconds: during,
    });
    return {
      smoke,
      seeded,
      held,
      added: { count, size },
      quiet,
      bytes,
      reference,
      restMb,
      rest,
      ...second,
      during,
      connections,
    };
  } finally {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function rowsOf(m) {
  const rate = mb(m.bytes) / m.quiet.seconds;
  const ratio = rate / m.reference.mbPerSecond;
  const p = m.quiet.view.run.progress;
  const run = m.quiet.view.run;
  const inJob = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
  const short = m.held.bytes < 0.9 * TARGET_BYTES;
  const volume = `${int(p.cases)} cases (${int(p.persons)} persons), ${int(p.documents)} documents, ${mbText(m.held.bytes)} of them${m.added.count ? ` (${m.added.count} × ${mbText(m.added.size)} added through the API)` : ''}${short ? `: less than the target's 1 GB` : ''}`;
  const jobPeak = Math.max(m.quiet.rss.childMb, m.loadedRss.childMb);
  const serverPeak = Math.max(m.quiet.rss.serverMb, m.loadedRss.serverMb);
  const p99Ratio = m.loaded.p99 / m.rest.p99;
  return [
    {
      id: 'exports-throughput',
      figure: `Export of MDPH 44, scope all, 5 fields, 7 categories: ${volume}; file bytes from the DPO's approval to \`ready\` (the approval starts the job; polled every 200 ms), beside age-encryption (X25519, 64 KiB chunks) on as many bytes in the bench's process`,
      cloison: `${rate.toFixed(1)} MB/s (${mbText(m.bytes)} in ${m.quiet.seconds.toFixed(1)} s; ${inJob.toFixed(1)} s from the run's start to its end)`,
      reference: `age-encryption ${m.reference.mbPerSecond.toFixed(1)} MB/s (${m.reference.seconds.toFixed(1)} s)`,
      ratio,
      target: '≥ 0.5× age-encryption',
      met: ratio >= 0.5,
      numbers: { bytes: m.bytes, seconds: m.quiet.seconds, inJob, age: m.reference, progress: p },
    },
    {
      id: 'exports-rss',
      figure: `Export of MDPH 44: the peak RSS (VmRSS every 50 ms) of the export's own process (\`export-process-main.js run-job\`, forked by the server for the run), beside the server's at rest; the server's own peak and the two together in the same instant alongside`,
      cloison: `export process peak ${int(m.quiet.rss.childMb)} MB (${int(m.loadedRss.childMb)} MB during the second run, under load); server peak ${int(serverPeak)} MB; both at once ${int(Math.max(m.quiet.rss.sumMb, m.loadedRss.sumMb))} MB (${m.quiet.rss.samples} samples)`,
      reference: `server at rest ${int(m.restMb)} MB`,
      ratio: `server ×${ratioText(serverPeak / m.restMb)} its rest`,
      target: `< ${RSS_TARGET_MB} MB for the export`,
      met: jobPeak > 0 && jobPeak < RSS_TARGET_MB,
      numbers: { quiet: m.quiet.rss, loaded: m.loadedRss, restMb: m.restMb },
    },
    {
      id: 'exports-queue-p99',
      figure: `\`GET /api/v1/cases\` as the instructeur, ${m.connections} connections, ${m.during} s during a second export run (${m.coveredAll ? 'still running when wrk ended' : 'which ended before wrk did'}; that run took ${m.secondSeconds.toFixed(1)} s), beside the same just before`,
      cloison: `p99 ${m.loaded.p99.toFixed(1)} ms (${int(m.loaded.rate)} req/s, p50 ${m.loaded.p50.toFixed(1)} ms)`,
      reference: `at rest p99 ${m.rest.p99.toFixed(1)} ms (${int(m.rest.rate)} req/s, p50 ${m.rest.p50.toFixed(1)} ms)`,
      ratio: `×${ratioText(p99Ratio)} at rest`,
      target: 'p99 within ×2 of at rest',
      met: p99Ratio <= 2,
      numbers: { rest: m.rest, loaded: m.loaded },
    },
  ];
}

/** The part's rows (this checkout only: a baseline before exports has nothing to run). */
export async function runExportsBench({ smoke, seconds, warmup, root, baselineRoot, log }) {
  if (baselineRoot) log('exports: measured on this checkout only');
  return rowsOf(await measureExports(root, { smoke, seconds, warmup, log }));
}
