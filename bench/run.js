// npm run bench: each figure beside its reference, measured in one run on this machine, and the
// ratio; figures, never a pass/fail test. Progress goes to stderr, the table to stdout.
//   --part=P[,P...]   downloads, json, appends, login, verify, scale, letters, outbox, exports
//                     (default: all of them)
//   --duration=10s    each measurement (wrk -d; the 20 MB downloads at least 30 s);
//                     --warmup=2s before each one
//   --baseline=DIR    the same figures for a server started from DIR's dist/ (another built
//                     checkout), in columns beside this checkout's
//   --json=F          the table and every number behind it, as JSON, in F
//   --smoke           every part for two seconds on a few connections: checks that each runs
//                     end to end (CI); the run exits 1 if any answer was not 200
// Parts measured on their own, as before, each printing its own tables:
//   --part=fairness   a bystander's latency during one account's flood (bench/fairness.js)
//   --part=documents  upload and download rates beside plain Fastify (bench/documents.js)
//   --part=audit | audit-append | audit-verify | audit-routes [--runs=N]   the audit log alone
//                     (bench/audit.js)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './cloison-server.js';
import { measureAuditAppends } from './compare/audit-appends.js';
import { measureDownloads } from './compare/downloads.js';
import { settings } from './compare/figures.js';
import { measureJsonRoutes } from './compare/json-routes.js';
import { measureLoginBurst } from './compare/login-burst.js';
import { runProvidedPart } from './compare/provided-parts.js';
import {
  jsonReport,
  loadAverage,
  machine,
  markdownTable,
  preamble,
  pressure,
} from './compare/report.js';
import { pdfOf, startSide } from './compare/side.js';
import { waitUntilIdle } from './proc.js';
import { SetupError, removeScripts, requireTools } from './wrk.js';

const MEASURED = {
  downloads: measureDownloads,
  json: measureJsonRoutes,
  appends: measureAuditAppends,
  login: measureLoginBurst,
};
const PROVIDED_PARTS = ['verify', 'scale', 'letters', 'outbox', 'exports'];
const ALONE = ['fairness', 'documents', 'audit', 'audit-append', 'audit-verify', 'audit-routes'];

function option(name) {
  const arg = process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (arg === undefined) return undefined;
  return arg.includes('=') ? arg.slice(name.length + 3) : true;
}

function seconds(name, fallback) {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const m = /^(\d+)s?$/.exec(String(raw));
  if (!m) throw new SetupError(`--${name}=${raw}: a whole number of seconds, such as 10s`);
  return Number(m[1]);
}

const log = (line) =>
  process.stderr.write(
    `[bench ${new Date().toISOString().slice(11, 19)}, load ${loadAverage().split(' ')[0]}, pressure ${pressure()}] ${line}\n`,
  );

function describe(dir) {
  try {
    const git = (...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src') !== '' ? ' (src/ modified)' : '';
    const subject = git('log', '-1', '--format=%h %s');
    return `${subject.length > 72 ? `${subject.slice(0, 71)}…` : subject}${dirty}`;
  } catch {
    return dir;
  }
}

async function runAlone(part) {
  if (part === 'fairness') return (await import('./fairness.js')).runFairnessBench();
  if (part === 'documents') return (await import('./documents.js')).runDocumentBench();
  const parts = {
    audit: ['append', 'verify', 'routes'],
    'audit-append': ['append'],
    'audit-verify': ['append', 'verify'],
    'audit-routes': ['routes'],
  }[part];
  const { runAuditBench } = await import('./audit.js');
  return runAuditBench({ parts: new Set(parts), runs: Number(option('runs') ?? 3), baselines: [] });
}

async function compare(parts, baselineRoot) {
  const smoke = option('smoke') === true;
  const run = settings({
    smoke,
    seconds: seconds('duration', smoke ? 2 : 10),
    warmup: seconds('warmup', smoke ? 1 : 2),
  });
  const startedAt = new Date().toISOString();
  const machineAtStart = machine();
  const problems = [];
  const notes = [];
  const rows = [];
  const files = { small: pdfOf(1_000_000), large: pdfOf(20_000_000) };
  const sides = [];
  let stopping = null;
  const stopAll = () =>
    (stopping ??= Promise.allSettled(sides.map((s) => s.stop())).then(removeScripts));
  const onSignal = (signal) => {
    log(`${signal}: stopping the servers`);
    void stopAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`this checkout: ${describe(ROOT)}`);
    sides.push({ ...(await startSide('this checkout', ROOT, files)), described: describe(ROOT) });
    if (baselineRoot) {
      log(`baseline: ${describe(baselineRoot)}`);
      const side = await startSide('baseline', baselineRoot, files);
      sides.push({ ...side, described: describe(baselineRoot) });
    }
    // Before each measurement, the previous one's leftovers (streams torn down, collections)
    // are let finish: they would otherwise be charged to whoever comes next.
    run.settle = () => waitUntilIdle(sides.map((s) => s.pid));
    for (const [k, part] of parts.entries()) {
      // Each part starts with another side, so that neither is always measured second.
      const order = sides.map((_, i) => (i + k) % sides.length);
      const context = { sides, order, files, run, problems, log, root: ROOT, baselineRoot };
      try {
        if (MEASURED[part]) rows.push(...(await MEASURED[part](context)));
        else {
          const { rows: provided, note } = await runProvidedPart(part, context);
          rows.push(...provided);
          if (note) notes.push(note);
        }
      } catch (error) {
        // The other parts are still worth their minutes: this one is reported and the run fails.
        problems.push(`part ${part} failed: ${error.stack ?? error}`);
        log(`part ${part} failed: ${error.message ?? error}`);
      }
    }
  } finally {
    await stopAll();
  }

  const title = `Cloison beside its references (${smoke ? 'smoke run: its figures mean nothing' : `${run.seconds} s per figure after ${run.warmup} s of warm-up`})`;
  const out = [
    ...preamble({ title, machineAtStart, sides }),
    ...markdownTable(rows, sides),
    ...(notes.length > 0 ? ['', ...notes.map((n) => `- ${n}`)] : []),
    ...(problems.length > 0
      ? ['', '**Problems (these figures are not valid):**', ...problems.map((p) => `- ${p}`)]
      : []),
  ];
  console.log(out.join('\n'));
  const json = option('json');
  if (typeof json === 'string') {
    const report = jsonReport({
      rows,
      sides,
      settings: run,
      notes,
      problems,
      startedAt,
      machineAtStart,
    });
    fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    log(`JSON written to ${json}`);
  }
  return problems.length === 0;
}

async function main() {
  const raw = option('part');
  const parts =
    typeof raw === 'string' ? raw.split(',') : [...Object.keys(MEASURED), ...PROVIDED_PARTS];
  const known = [...Object.keys(MEASURED), ...PROVIDED_PARTS, ...ALONE];
  const unknown = parts.filter((p) => !known.includes(p));
  if (unknown.length > 0)
    throw new SetupError(`unknown --part=${unknown.join(',')}: ${known.join(', ')}`);
  const alone = parts.filter((p) => ALONE.includes(p));
  if (alone.length > 0) {
    if (alone.length !== parts.length) throw new SetupError(`--part=${alone[0]} runs alone`);
    for (const part of alone) await runAlone(part);
    return true;
  }

  requireTools();
  const baseline = option('baseline');
  let baselineRoot = null;
  if (baseline !== undefined) {
    if (typeof baseline !== 'string') throw new SetupError('--baseline=DIR: a built checkout');
    baselineRoot = path.resolve(baseline);
    if (!fs.existsSync(path.join(baselineRoot, 'dist/src/main.js'))) {
      throw new SetupError(
        `--baseline=${baseline}: no dist/src/main.js there; run npm run build in it first`,
      );
    }
  }
  return compare(parts, baselineRoot);
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error) => {
    console.error(error instanceof SetupError ? error.message : error);
    process.exit(1);
  },
);
