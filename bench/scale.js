// The case queue on a real MDPH's volume: `cloison demo --scale 100000` (smoke: 2,000) over both
// départements, then `GET /api/v1/cases` (first page) as the instructeur of MDPH 44 beside
// `GET /api/health` of the same server, with wrk. Called by bench/run.js --part=scale as
// runScaleBench (see bench/compare/provided-parts.js for the contract).
//
// Seeding 100,000 cases takes minutes: the seeded data directory is kept under
// os.tmpdir()/cloison-bench-scale-<rev>-<cases>, <rev> the last commit that changed what the
// seed writes (src/, the lock file), and reused by the next run. Each run serves a copy of it
// (the database copied, the immutable blobs hard-linked), so the requests of one run (sessions,
// audit events) never pile up in the next one's data.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { signIn, startCloison } from './cloison-server.js';
import { BENCH_ENV } from './compare/side.js';
import { rateText, ratioText } from './compare/figures.js';
import { cpuSeconds } from './proc.js';
import { measure } from './wrk.js';

const FULL_CASES = 100_000;
const SMOKE_CASES = 2_000;
const CONNECTIONS = 50;
const P99_TARGET_MS = 50;
const HEALTH_RATIO_TARGET = 0.25;
const SEEDER = 'dist/src/demo/scale-seed.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const int = (n) => Math.round(n).toLocaleString('en');

/** The last commit of `root` that changed what the seed writes; "unversioned" outside git. */
function seedRevision(root) {
  try {
    const rev = execFileSync(
      'git',
      ['-C', root, 'log', '-1', '--format=%h', '--', 'src', 'package-lock.json'],
      { encoding: 'utf8' },
    ).trim();
    const dirty =
      execFileSync('git', ['-C', root, 'status', '--porcelain', '--', 'src'], {
        encoding: 'utf8',
      }).trim() !== '';
    // A modified src/ seeds something no revision names: never cached under one.
    return dirty ? `${rev}-modified-${process.pid}` : rev;
  } catch {
    return `unversioned-${process.pid}`;
  }
}

/** Runs `cloison demo --scale n` from `root` into `dataDir`; resolves with its summary line. */
function seed(root, dataDir, n) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'dist/src/main.js'), 'demo', '--scale', String(n)],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          CLOISON_DATA_DIR: dataDir,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('scale: '));
      if (code !== 0 || !line) reject(new Error(`demo --scale ${n} exited ${code}: ${out}`));
      else resolve(line);
    });
  });
}

/** The seeded data directory of `root` for `n` cases: from the cache, or seeded into it now. */
export async function seededDir(root, n, log) {
  // BENCH_SCALE_CACHE: a seed kept across revisions whose schema it still matches (a session
  // measuring change after change of code that leaves the data alone); never in CI.
  const cache =
    process.env.BENCH_SCALE_CACHE ??
    path.join(os.tmpdir(), `cloison-bench-scale-${seedRevision(root)}-${n}`);
  const summaryFile = path.join(cache, 'bench-seed.json');
  if (fs.existsSync(summaryFile)) {
    log(`scale: ${n} cases already seeded in ${cache}`);
    return { dir: cache, ...JSON.parse(fs.readFileSync(summaryFile, 'utf8')), cached: true };
  }
  // Seeded aside and renamed once complete: an interrupted seed is never taken for a cache.
  const partial = fs.mkdtempSync(`${cache}.partial-`);
  try {
    log(`scale: seeding ${n} cases into ${partial} (minutes for 100,000)`);
    const started = Date.now();
    const line = await seed(root, partial, n);
    const seconds = (Date.now() - started) / 1000;
    const rate = Number(/\((\d+) cases\/s/.exec(line)?.[1] ?? n / seconds);
    const summary = { line, seconds, casesPerSecond: rate, seededAt: new Date().toISOString() };
    fs.writeFileSync(path.join(partial, 'bench-seed.json'), `${JSON.stringify(summary)}\n`);
    fs.rmSync(cache, { recursive: true, force: true });
    fs.renameSync(partial, cache);
    log(`scale: ${line}`);
    return { dir: cache, ...summary, cached: false };
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** A working copy of a seeded directory: the database and keys copied, the blobs hard-linked. */
export function workingCopy(seeded) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-scale-run-'));
  for (const name of fs.readdirSync(seeded)) {
    const from = path.join(seeded, name);
    if (name === 'cloison.lock' || name === 'bench-seed.json') continue;
    if (name === 'blobs') execFileSync('cp', ['-al', from, path.join(dir, name)]);
    else fs.cpSync(from, path.join(dir, name), { recursive: true });
  }
  return dir;
}

/** The audit checkpoint job's period (CLOISON_AUDIT_CHECKPOINT_SECONDS, left at its default). */
const FIRST_CHECKPOINT_MS = 60_000;

/**
 * Waits until the server has used less than 5 % of a core for a whole second: what it runs
 * once at start over the whole audit log (verification, retention, then the first signed
 * checkpoint a minute later, which builds the tree of every chain) is not the queue's cost.
 * Later checkpoints only add what is new.
 */
export async function waitUntilSettled(pid, maxMs) {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const before = cpuSeconds(pid);
    await sleep(1000);
    const after = cpuSeconds(pid);
    if (before === null || after === null || after - before < 0.05) return;
  }
}

/** How many cases the instructeur's queue holds (their team's and their own, drafts aside). */
function visibleTo(dataDir, account) {
  const db = new Database(path.join(dataDir, 'cloison.sqlite'), { readonly: true });
  try {
    return db
      .prepare(
        `select count(*) as n from cases c join accounts a on a.id = ?
         where c.tenant_id = a.tenant_id and (c.team = a.team or c.instructeur_id = a.id)
         and c.status <> 'brouillon'`,
      )
      .get(account.id).n;
  } finally {
    db.close();
  }
}

function checked(label, result) {
  if (result.requests === 0 || result.failed > 0) {
    throw new Error(`${label}: ${result.requests} requests, ${result.failed} failed`);
  }
  return result;
}

/** One side: seeded (or cached), served from a copy, measured, stopped. */
async function measureSide(root, { smoke, seconds, warmup, log }) {
  const n = smoke ? SMOKE_CASES : FULL_CASES;
  const seeded = await seededDir(root, n, log);
  const dataDir = workingCopy(seeded.dir);
  let server;
  try {
    const startedAt = Date.now();
    server = await startCloison(dataDir, root, BENCH_ENV);
    await waitUntilSettled(server.child.pid, 10 * 60_000);
    const firstCheckpoint = startedAt + FIRST_CHECKPOINT_MS + 5_000 - Date.now();
    if (firstCheckpoint > 0) await sleep(firstCheckpoint);
    await waitUntilSettled(server.child.pid, 10 * 60_000);
    log(`scale: server settled ${((Date.now() - startedAt) / 1000).toFixed(1)} s after start`);
    const accounts = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8'),
    ).accounts;
    const instructeur = accounts.find((a) => a.label === 'instructeur' && a.tenant === '44');
    const cookie = await signIn(server.url, instructeur);
    const first = await fetch(`${server.url}/api/v1/cases`, { headers: { cookie } });
    const page = await first.json();
    if (first.status !== 200 || page.items.length === 0) {
      throw new Error(`the instructeur's queue: ${first.status}, ${page.items?.length} cases`);
    }
    const connections = smoke ? Math.min(CONNECTIONS, 4) : CONNECTIONS;
    const options = { connections, seconds };
    log(`scale: /api/health, ${connections} connections`);
    const health = checked(
      '/api/health',
      await measure(`${server.url}/api/health`, options, warmup),
    );
    log(`scale: /api/v1/cases, ${connections} connections`);
    const cases = checked(
      '/api/v1/cases',
      await measure(`${server.url}/api/v1/cases`, { ...options, headers: { cookie } }, warmup),
    );
    return {
      n,
      seeded,
      connections,
      visible: visibleTo(dataDir, instructeur),
      pageItems: page.items.length,
      health,
      cases,
    };
  } finally {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function rowsOf(m) {
  const ratio = m.cases.rate / m.health.rate;
  const seedText = `${int(m.seeded.casesPerSecond)} cases/s (${int(m.n)} cases in ${int(m.seeded.seconds)} s${m.seeded.cached ? ', seeded ' + m.seeded.seededAt.slice(0, 16) + ' and cached' : ''})`;
  return [
    {
      id: 'scale-cases-throughput',
      figure: `\`GET /api/v1/cases\`, first page (${m.pageItems} of ${int(m.visible)} cases in the queue, ${int(m.n)} seeded) as the instructeur, ${m.connections} connections, beside \`/api/health\``,
      cloison: rateText(m.cases),
      reference: `health ${rateText(m.health)}`,
      ratio,
      target: `≥ ${HEALTH_RATIO_TARGET}× health`,
      met: ratio >= HEALTH_RATIO_TARGET,
    },
    {
      id: 'scale-cases-p99',
      figure: `\`GET /api/v1/cases\` p99 on ${int(m.n)} cases, ${m.connections} connections`,
      cloison: `p99 ${m.cases.p99.toFixed(1)} ms`,
      reference: `health p99 ${m.health.p99.toFixed(1)} ms`,
      ratio: `${ratioText(m.cases.p99 / P99_TARGET_MS)} of the target`,
      target: `p99 < ${P99_TARGET_MS} ms`,
      met: m.cases.p99 < P99_TARGET_MS,
    },
    {
      id: 'scale-seed-rate',
      figure: `\`cloison demo --scale ${m.n}\`: seeding rate (persons, keys, documents, history, audit)`,
      cloison: seedText,
      reference: '—',
      ratio: '—',
    },
  ];
}

/** The part's rows; the baseline's beside them when its dist/ has the scale seeder. */
export async function runScaleBench({ smoke, seconds, warmup, root, baselineRoot, log }) {
  const ours = rowsOf(await measureSide(root, { smoke, seconds, warmup, log }));
  if (!baselineRoot) return ours;
  if (!fs.existsSync(path.join(baselineRoot, SEEDER))) {
    log(`scale: the baseline's dist/ has no scale seeder: measured on this checkout only`);
    return ours;
  }
  const theirs = rowsOf(await measureSide(baselineRoot, { smoke, seconds, warmup, log }));
  return ours.map((r, i) => {
    const b = theirs[i];
    return {
      ...r,
      baseline: { cloison: b.cloison, reference: b.reference, ratio: b.ratio, met: b.met },
    };
  });
}
