// Audit verification and checkpoints at scale. Figures, never a pass/fail test.
//
//   node bench/audit-verify.js [--events=200000] [--checkpoint-every=1000] [--runs=1]
//
// A fresh SQLite file gets a chain of `events` events (the server's canonical entries, leaf and
// chain hashes, inserted in bulk) and a signed checkpoint every `checkpoint-every` events, as
// the minute-by-minute job leaves them. Then, in this process:
// - verifyAuditChains over it, beside raw SHA-256 of the same entry bytes (one stream, and one
//   call per event as the floor of per-event hashing in Node), with the ratio;
// - the checkpoint job (checkpointChain): its first run in a process (the whole chain), a run
//   after 1,000 more events, and a run with nothing new.
// runVerifyBench is the part bench/run.js calls; runAuditVerifyBench prints its own table
// (node bench/audit-verify.js); measureVerify is part 2 of bench/audit.js.
import crypto, { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../dist/src/db/database.js';
import { migrateToLatest } from '../dist/src/db/migrate.js';
import {
  appendAudit,
  canonicalEntry,
  chainHash,
  GENESIS,
  leafHash,
  PLATFORM_CHAIN,
} from '../dist/src/modules/audit/audit-log.js';
import { checkpointChain } from '../dist/src/modules/audit/checkpoints.js';
import { signingKey } from '../dist/src/modules/audit/log-keys.js';
import { treeHash, TreeBuilder } from '../dist/src/modules/audit/merkle.js';
import { checkpointBody, signNote } from '../dist/src/modules/audit/signed-note.js';
import { verifyAuditChains } from '../dist/src/modules/audit/verify.js';
import { openBenchDatabase, sampleEntry, TENANT } from './audit-append.js';
import { int, median, ms } from './stats.js';

const CHAIN = PLATFORM_CHAIN;
const ORIGIN = 'https://bench.invalid';

/** The platform chain's event i: a staff download or listing, as bench/audit-append.js has it. */
const entryText = (i) => canonicalEntry({ ...sampleEntry(i), tenant: null });

/**
 * What checkpointChain needs of the server. The key manager is a stand-in that wraps by
 * copying: the bench measures the tree and the signature, not the keyring.
 */
function benchDeps(db) {
  const keys = {
    ensureTenantKey: async () => 1,
    wrap: async (_id, _version, plain) => Buffer.from(plain),
    unwrap: async (_id, _version, wrapped) => Buffer.from(wrapped),
  };
  const log = { info() {}, warn() {}, error() {} };
  return {
    db,
    keys,
    log,
    config: { auditWitnessFile: null },
    clock: { now: () => new Date() },
    publicOrigin: () => ORIGIN,
  };
}

/**
 * Fills the chain in bulk with what appendAudit would write, and signs a checkpoint every
 * `checkpointEvery` events with the chain's key. Returns the entries' bytes (0x00 || entry, the
 * leaf hashes' input) for the reference hashing.
 */
async function seedChain(db, { events, checkpointEvery }) {
  const { key, name, publicKey } = await signingKey(benchDeps(db), CHAIN);
  const tree = new TreeBuilder();
  const chunks = [];
  const texts = [];
  let previous = GENESIS;
  for (let n = 0; n < events;) {
    const rows = [];
    const checkpoints = [];
    const bytes = [];
    for (const end = Math.min(events, n + 5_000); n < end; n++) {
      const text = entryText(n);
      const leaf = leafHash(text);
      previous = chainHash(previous, leaf);
      rows.push({
        chain: CHAIN,
        seq: n + 1,
        at: JSON.parse(text).at,
        entry: text,
        leaf_hash: leaf,
        chain_hash: previous,
      });
      bytes.push(Buffer.from(`\0${text}`));
      texts.push(text);
      tree.push(Buffer.from(leaf, 'hex'));
      if (tree.size % checkpointEvery === 0) {
        const root = tree.root();
        const note = signNote(
          checkpointBody(`bench.invalid/cloison/audit/${CHAIN}`, tree.size, root),
          name,
          key,
          publicKey,
        );
        const at = new Date().toISOString();
        checkpoints.push({
          chain: CHAIN,
          size: tree.size,
          root_hash: root.toString('hex'),
          note,
          created_at: at,
        });
      }
    }
    chunks.push(Buffer.concat(bytes));
    await db.transaction().execute(async (trx) => {
      for (let k = 0; k < rows.length; k += 500)
        await trx
          .insertInto('audit_events')
          .values(rows.slice(k, k + 500))
          .execute();
      for (const cp of checkpoints) await trx.insertInto('audit_checkpoints').values(cp).execute();
    });
  }
  return { chunks, texts };
}

/** SHA-256 of the same bytes: one stream over all of them, and one call per event. */
function referenceHashing({ chunks, texts }, events) {
  let start = performance.now();
  const h = createHash('sha256');
  for (const c of chunks) h.update(c);
  h.digest();
  const streamMs = performance.now() - start;
  const bytes = chunks.reduce((s, c) => s + c.length, 0);
  start = performance.now();
  // Each entry once, with the leaf's 0x00 before it, through Node's cheapest one-shot call.
  for (const text of texts) crypto.hash('sha256', `\0${text}`, 'binary');
  const perEventMs = performance.now() - start;
  return {
    bytes,
    streamMs,
    streamRate: events / (streamMs / 1000),
    streamGBps: bytes / (streamMs / 1000) / 1e9,
    perEventMs,
    perEventRate: events / (perEventMs / 1000),
  };
}

async function timeJob(deps) {
  const start = performance.now();
  const result = await checkpointChain(deps, CHAIN);
  return { ms: performance.now() - start, ...result };
}

/** One run: a fresh file, seeded, verified, hashed for reference, checkpointed. */
async function oneRun({ events, checkpointEvery }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-verify-'));
  const file = path.join(dir, 'audit.sqlite');
  try {
    let db = openDatabase({ dataDir: dir, databaseUrl: `sqlite:${file}` });
    await migrateToLatest(db);
    let start = performance.now();
    const seeded = await seedChain(db, { events, checkpointEvery });
    const seedMs = performance.now() - start;
    await db.destroy();

    // A new handle, as `cloison audit verify` or a restarted server opens the file.
    db = openDatabase({ dataDir: dir, databaseUrl: `sqlite:${file}` });
    start = performance.now();
    const [report] = await verifyAuditChains(db);
    const verifyMs = performance.now() - start;
    const signed = Math.floor(events / checkpointEvery);
    if (!report || report.broken || report.events !== events || report.checkpoints !== signed) {
      throw new Error(`verification did not pass: ${JSON.stringify(report)}`);
    }
    const reference = referenceHashing(seeded, events);
    seeded.chunks.length = 0;
    seeded.texts.length = 0;

    const deps = benchDeps(db);
    const first = await timeJob(deps);
    await db.transaction().execute(async (trx) => {
      for (let i = events; i < events + 1_000; i++)
        await appendAudit(trx, { ...sampleEntry(i), tenant: null });
    });
    const grown = await timeJob(deps);
    const unchanged = await timeJob(deps);
    if (!grown.made || grown.size !== events + 1_000)
      throw new Error('the job did not sign the new events');
    await db.destroy();
    return {
      events,
      checkpoints: signed,
      seedMs,
      verifyMs,
      verifyRate: events / (verifyMs / 1000),
      ...reference,
      ratioStream: events / (verifyMs / 1000) / reference.streamRate,
      ratioPerEvent: events / (verifyMs / 1000) / reference.perEventRate,
      job: { firstMs: first.ms, grownMs: grown.ms, unchangedMs: unchanged.ms },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The benchmark a runner calls: `runs` fresh files of `events` events with a checkpoint every
 * `checkpointEvery`; prints a Markdown table of the medians and returns every run's figures.
 */
export async function runAuditVerifyBench({
  events = 200_000,
  checkpointEvery = 1_000,
  runs = 1,
} = {}) {
  const results = [];
  for (let run = 1; run <= runs; run++) {
    results.push(await oneRun({ events, checkpointEvery }));
    console.log(`run ${run} verify: ${JSON.stringify(results.at(-1))}`);
  }
  const m = (f) => median(results.map(f));
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `\nmedians of ${runs} run(s), ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, load average ${load}`,
  );
  console.log(
    `\n| audit chain of ${int(events)} events, a signed checkpoint every ${int(checkpointEvery)} | figure | reference in the same process | ratio |`,
  );
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| \`verifyAuditChains\` (${int(events / checkpointEvery)} checkpoints) | ${int(m((r) => r.verifyRate))} events/s (${ms(m((r) => r.verifyMs))} ms) | SHA-256 of the same bytes in one stream: ${int(m((r) => r.streamRate))} events/s (${m((r) => r.streamGBps).toFixed(2)} GB/s) | ${m((r) => r.ratioStream).toFixed(2)} |`,
  );
  console.log(
    `| | | SHA-256 of each entry, one call per event: ${int(m((r) => r.perEventRate))} events/s | ${m((r) => r.ratioPerEvent).toFixed(2)} |`,
  );
  console.log(`| checkpoint job, first run in a process | ${ms(m((r) => r.job.firstMs))} ms | | |`);
  console.log(`| checkpoint job, 1,000 events later | ${ms(m((r) => r.job.grownMs))} ms | | |`);
  console.log(`| checkpoint job, nothing new | ${ms(m((r) => r.job.unchangedMs))} ms | | |`);
  return results;
}

/**
 * The runner's part (bench/compare/provided-parts.js): one run, 200,000 events (20,000 in the
 * smoke run), as rows beside SHA-256 of the same bytes. A baseline checkout is not measured:
 * this module imports the server's code from this checkout's dist.
 */
export async function runVerifyBench({ smoke, log }) {
  const events = smoke ? 20_000 : 200_000;
  log(`verify: ${int(events)} events, a checkpoint every 1,000`);
  const r = await oneRun({ events, checkpointEvery: 1_000 });
  const target = 500_000;
  return [
    {
      figure: `audit verify, ${int(events)} events, ${int(r.checkpoints)} signed checkpoints`,
      cloison: `${int(r.verifyRate)} events/s`,
      reference: `SHA-256 of the same bytes, one stream: ${int(r.streamRate)} events/s`,
      ratio: r.ratioStream,
      target: `≥ ${int(target)} events/s`,
      met: r.verifyRate >= target,
    },
    {
      figure: 'audit verify beside one SHA-256 call per event (the per-event floor)',
      cloison: `${int(r.verifyRate)} events/s`,
      reference: `${int(r.perEventRate)} events/s`,
      ratio: r.ratioPerEvent,
    },
    {
      figure: 'checkpoint job: first run in a process / 1,000 events later / nothing new',
      cloison: `${ms(r.job.firstMs)} / ${ms(r.job.grownMs)} / ${ms(r.job.unchangedMs)} ms`,
      reference: '—',
      ratio: '—',
    },
  ];
}

async function readLeaves(db) {
  const rows = await db
    .selectFrom('audit_events')
    .select('leaf_hash')
    .where('chain', '=', TENANT)
    .orderBy('seq')
    .execute();
  return rows.map((r) => Buffer.from(r.leaf_hash, 'hex'));
}

/** Part 2 of bench/audit.js: the file part 1 filled (100,000 events), one checkpoint over all. */
export async function measureVerify(dir) {
  const db = await openBenchDatabase(dir);
  try {
    let start = performance.now();
    const leaves = await readLeaves(db);
    const readMs = performance.now() - start;
    start = performance.now();
    const root = treeHash(leaves);
    const treeMs = performance.now() - start;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
    const name = `cloison-audit-${TENANT.slice(0, 8)}`;
    const note = signNote(
      checkpointBody(`bench.invalid/cloison/audit/${TENANT}`, leaves.length, root),
      name,
      privateKey,
      raw,
    );
    const at = new Date().toISOString();
    // Verification only reads the public half: a placeholder stands where the server seals it.
    await db
      .insertInto('audit_log_keys')
      .values({
        chain: TENANT,
        key_name: name,
        public_key: raw,
        private_key_enc: Buffer.alloc(1),
        created_at: at,
      })
      .execute();
    await db
      .insertInto('audit_checkpoints')
      .values({
        chain: TENANT,
        size: leaves.length,
        root_hash: root.toString('hex'),
        note,
        created_at: at,
      })
      .execute();

    start = performance.now();
    const reports = await verifyAuditChains(db);
    const verifyMs = performance.now() - start;
    const report = reports.find((r) => r.chain === TENANT);
    if (!report || report.broken || report.checkpoints !== 1 || report.events !== leaves.length) {
      throw new Error(`verification did not pass: ${JSON.stringify(reports)}`);
    }
    return {
      events: report.events,
      verifyMs,
      verifyRate: report.events / (verifyMs / 1000),
      treeMs,
      checkpointMs: readMs + treeMs,
    };
  } finally {
    await db.destroy();
  }
}

function option(name, fallback) {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runAuditVerifyBench({
    events: option('events', 200_000),
    checkpointEvery: option('checkpoint-every', 1_000),
    runs: option('runs', 1),
  }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
