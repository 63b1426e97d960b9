// The audit log's benchmark: parts 1-3 repeated `runs` times on this machine, each
// figure the median of the runs, printed as Markdown tables for the README. Figures, never a
// pass/fail test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureAppend } from './audit-append.js';
import { measureVerify } from './audit-verify.js';
import { CONCURRENT, SEQUENTIAL, measureRoutes } from './audit-routes.js';
import { buildCheckout, commitBeforeAuditLog, describeCommit } from './baseline.js';
import { ROOT } from './cloison-server.js';
import { execFileSync } from 'node:child_process';
import { int, median, ms } from './stats.js';

const at = (obj, keys) => keys.split('.').reduce((o, k) => o?.[k], obj);
/** The median over the runs of one figure, by its path in a run's result. */
const med = (results, keys) => median(results.map((r) => at(r, keys)));

function machine() {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${cpus.length} × ${cpus[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${load}`;
}

async function logRun(parts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-audit-'));
  try {
    const append = await measureAppend(dir);
    const verify = parts.has('verify') ? await measureVerify(dir) : null;
    return { append, verify };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function printLogTable(runs) {
  const a = (k) => med(runs, `append.${k}`);
  console.log('\n| the audit log alone (fresh SQLite file, WAL, synchronous=FULL) | figure |');
  console.log('| --- | --- |');
  console.log(
    `| append, 1 event per transaction (a durable commit each, as a request) | ${int(a('singleRate'))} events/s; p50 ${ms(a('singleP50'))} ms, p99 ${ms(a('singleP99'))} ms |`,
  );
  console.log(`| append, 1,000 events per transaction | ${int(a('batchRate'))} events/s |`);
  if (runs[0].verify) {
    const v = (k) => med(runs, `verify.${k}`);
    console.log(
      `| \`verifyAuditChains\`, ${int(v('events'))} events and 1 signed checkpoint | ${int(v('verifyRate'))} events/s (${(v('verifyMs') / 1000).toFixed(2)} s) |`,
    );
    console.log(
      `| checkpoint: RFC 6962 root of ${int(v('events'))} leaves | ${ms(v('treeMs'))} ms (${ms(v('checkpointMs'))} ms with reading the leaves) |`,
    );
  }
}

/** One row per checkout and route; the first checkout is this one. */
function printRoutesTable(checkouts, log) {
  const appendP50 = log ? med(log, 'append.singleP50') : null;
  const first = checkouts[0].results[0];
  console.log(
    `\n| route (instructeur, loopback) | checkout | sequential p50 / p99 | ${CONCURRENT.connections} connections: req/s | p50 / p99 under load | audit append p50 ÷ route p50 |`,
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  const routes = {
    list: `GET /cases/:caseId/documents (${first.listed} documents)`,
    download: `GET /documents/:documentId/content (${first.documentBytes} B)`,
  };
  for (const [name, label] of Object.entries(routes)) {
    for (const [i, { name: commit, results }] of checkouts.entries()) {
      const f = (k) => med(results, `${name}.${k}`);
      const audited = results.every((r) => r.auditEvents > 0);
      const ratio =
        audited && appendP50 !== null
          ? `${((appendP50 / f('sequential.p50')) * 100).toFixed(0)} %`
          : '—';
      console.log(
        `| ${i === 0 ? label : ''} | ${commit} | ${ms(f('sequential.p50'))} / ${ms(f('sequential.p99'))} ms | ${int(f('concurrent.rate'))} | ${ms(f('concurrent.p50'))} / ${ms(f('concurrent.p99'))} ms | ${ratio} |`,
      );
    }
  }
}

/**
 * parts: a subset of 'append', 'verify' (needs append), 'routes'. baselines: revisions whose
 * routes are measured beside this checkout's; by default the commit before the audit log.
 */
export async function runAuditBench({ parts, runs = 3, baselines = [commitBeforeAuditLog()] }) {
  console.log(`machine: ${machine()}`);
  const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const dirty = git('status', '--porcelain', '--', 'src') !== '';
  const checkouts = parts.has('routes')
    ? [{ name: `${git('log', '-1', '--format=%h')}${dirty ? ' (src/ modified)' : ''}`, dir: ROOT }]
    : [];
  const log = [];
  try {
    for (const rev of parts.has('routes') ? baselines : []) {
      const built = buildCheckout(rev);
      checkouts.push({ name: built.sha.slice(0, 7), dir: built.dir, remove: built.remove });
      console.log(`baseline: ${describeCommit(built.sha)}`);
    }
    for (const c of checkouts) c.results = [];
    for (let run = 1; run <= runs; run++) {
      if (parts.has('append')) {
        log.push(await logRun(parts));
        console.log(`run ${run} log: ${JSON.stringify(log.at(-1))}`);
      }
      // Each run starts with another checkout, so a change in the machine's load is shared.
      for (let k = 0; k < checkouts.length; k++) {
        const c = checkouts[(run - 1 + k) % checkouts.length];
        c.results.push(await measureRoutes(c.dir));
        console.log(`run ${run} routes, ${c.name}: ${JSON.stringify(c.results.at(-1))}`);
      }
    }
  } finally {
    for (const c of checkouts) c.remove?.();
  }
  console.log(`\nmedians of ${runs} run(s); at the end: ${machine()}`);
  if (log.length > 0) printLogTable(log);
  if (checkouts.length > 0) {
    console.log(
      `\n(sequential: ${SEQUENTIAL} requests on one connection; under load: ${CONCURRENT.requests} requests on ${CONCURRENT.connections}; after 100 to warm up; server logging at info)`,
    );
    printRoutesTable(checkouts, log.length > 0 ? log : null);
  }
}
