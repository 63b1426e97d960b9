// Durable audit appends through the real server beside raw SQLite commits on the same disk.
// The server side: 50 connections on `GET /api/v1/me`, the cheapest audited route (every read of
// an action route appends its record before it answers), counting the rows the run added to
// audit_events. The reference: better-sqlite3 in this process (WAL, synchronous=FULL, as the
// server opens its file), a row of the audit's shape, one INSERT per commit and 1,000 per commit.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { int } from '../stats.js';
import { measure } from '../wrk.js';
import { concurrentAppendRate } from './concurrent-appends.js';
import { checked, latency, numbersOf, ratioText } from './figures.js';

const EVENTS_TARGET = 10_000;

function auditRows(database) {
  const db = new SQLite(database, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select count(*) as n from audit_events').get().n;
  } finally {
    db.close();
  }
}

/** Commits for `seconds` with `perCommit` INSERTs in each; returns rows per second. */
function commitRate(db, insert, perCommit, seconds) {
  const row = () => ({
    chain: 'bench',
    at: new Date().toISOString(),
    actor: randomUUID(),
    action: 'me.read',
    object: randomUUID(),
    route: 'GET /api/v1/me',
    prev: randomBytes(32).toString('hex'),
    leaf: randomBytes(32).toString('hex'),
  });
  const many = db.transaction((n) => {
    for (let i = 0; i < n; i++) insert.run(row());
  });
  let rows = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    if (perCommit === 1) insert.run(row());
    else many(perCommit);
    rows += perCommit;
  }
  return rows / ((performance.now() - start) / 1000);
}

/** Raw commit rates on a fresh file in the same temporary directory as the servers' data. */
export function rawSqliteRates(seconds) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-sqlite-'));
  const db = new SQLite(path.join(dir, 'raw.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`create table events (seq integer primary key, chain text not null, at text not null,
      actor text, action text not null, object text, route text, prev text not null,
      leaf text not null)`);
    const insert = db.prepare(`insert into events (chain, at, actor, action, object, route, prev,
      leaf) values (@chain, @at, @actor, @action, @object, @route, @prev, @leaf)`);
    return {
      single: commitRate(db, insert, 1, seconds),
      batched: commitRate(db, insert, 1000, seconds),
    };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One row: each side's durable events per second beside the raw commit rates. */
export async function measureAuditAppends({ sides, order, run, problems, log }) {
  await run.settle();
  log('appends: raw SQLite commits in this process');
  const raw = rawSqliteRates(run.seconds);
  const connections = run.connections(50);
  const row = {
    id: 'audit-appends',
    figure: `durable audit appends, ${connections} concurrent writers (\`GET /api/v1/me\`, each answer after its record), beside raw SQLite commits (WAL, synchronous=FULL) on the same disk`,
    target: `≥ ${int(EVENTS_TARGET)} events/s`,
    sides: [],
  };
  for (const i of order) {
    const side = sides[i];
    await run.settle();
    log(`appends: ${side.name}, /api/v1/me`);
    const url = `${side.url}/api/v1/me`;
    const options = {
      connections,
      seconds: run.seconds,
      headers: { cookie: side.cookies.instructeur },
    };
    // The warm-up's records are counted out: the count starts once it is over.
    if (run.warmup > 0) await measure(url, { ...options, seconds: run.warmup }, 0);
    const before = auditRows(side.database);
    const result = checked(problems, `${side.name} /api/v1/me`, await measure(url, options, 0));
    const events = auditRows(side.database) - before;
    if (events < result.requests) {
      problems.push(
        `${side.name}: ${result.requests} audited answers but ${events} new audit rows`,
      );
    }
    const rate = events / result.seconds;
    row.sides[i] = {
      cloison: `${int(rate)} events/s (${int(events)} in ${result.seconds.toFixed(1)} s; p50 ${latency(result.p50)} ms, p99 ${latency(result.p99)} ms)`,
      reference: `1 INSERT per commit ${int(raw.single)}/s; 1,000 per commit ${int(raw.batched)}/s`,
      ratio: rate / raw.single,
      ratioText: `${ratioText(rate / raw.single)} of 1/commit, ${ratioText(rate / raw.batched)} of 1,000/commit`,
      met: rate >= EVENTS_TARGET,
      numbers: { eventsPerSecond: rate, events, request: numbersOf(result), raw },
    };
  }
  const writers = run.connections(50);
  const inProcess = {
    id: 'audit-appends-writers',
    figure: `durable audit appends, ${writers} concurrent writers in one process (each a unit of work: one event per transaction, the next once it is on disk), beside raw SQLite commits`,
    target: `≥ ${int(EVENTS_TARGET)} events/s`,
    sides: [],
  };
  for (const i of order) {
    const side = sides[i];
    await run.settle();
    log(`appends: ${side.name}, ${writers} writers in this process`);
    const r = await concurrentAppendRate(side.root, { writers, seconds: run.seconds });
    inProcess.sides[i] = {
      cloison: `${int(r.rate)} events/s (${int(r.events)}; p50 ${latency(r.p50)} ms, p99 ${latency(r.p99)} ms${r.groupCommit ? '' : '; no group commit'})`,
      reference: `1 INSERT per commit ${int(raw.single)}/s; 1,000 per commit ${int(raw.batched)}/s`,
      ratio: r.rate / raw.single,
      ratioText: `${ratioText(r.rate / raw.single)} of 1/commit, ${ratioText(r.rate / raw.batched)} of 1,000/commit`,
      met: r.rate >= EVENTS_TARGET,
      numbers: { ...r, raw },
    };
  }
  return [row, inProcess];
}
