// Durable audit appends by concurrent writers in one process, through a checkout's own database
// driver: each writer is a unit of work (as a request is) that appends one event in its own
// transaction and waits until the event is on disk before it appends the next. With group
// commit, the units waiting at the same time share one COMMIT and one fsync; a checkout without
// it (a baseline from before) commits and syncs each transaction alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sampleEntry } from '../audit-append.js';
import { percentile } from '../stats.js';

const distOf = (root) => (file) => pathToFileURL(path.join(root, 'dist', 'src', file)).href;

async function optionalImport(url) {
  try {
    return await import(url);
  } catch {
    return null;
  }
}

/**
 * `writers` concurrent writers for `seconds` on a fresh file opened as the server opens it.
 * Returns events per second and the per-event latency (append to durable); throws unless the
 * chain then verifies with every event, gapless and in order.
 */
export async function concurrentAppendRate(root, { writers, seconds }) {
  const dist = distOf(root);
  const { openDatabase } = await import(dist('db/database.js'));
  const { migrateToLatest } = await import(dist('db/migrate.js'));
  const { appendAudit } = await import(dist('modules/audit/audit-log.js'));
  const { verifyAuditChains } = await import(dist('modules/audit/verify.js'));
  const durability = await optionalImport(dist('db/durability.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-writers-'));
  const db = openDatabase({
    dataDir: dir,
    databaseUrl: `sqlite:${path.join(dir, 'audit.sqlite')}`,
  });
  try {
    await migrateToLatest(db);
    let next = 0;
    // Read on the clock, not set by a timer: with a driver whose commits never leave the
    // microtask queue (a baseline's), no timer would ever fire while the writers run.
    const end = performance.now() + seconds * 1000;
    const latencies = [];
    const appendOne = (entry) => db.transaction().execute((trx) => appendAudit(trx, entry));
    const durableAppend = durability
      ? async (entry) => {
          const unit = new durability.PendingCommits();
          await durability.groupCommits(unit, () => appendOne(entry));
          await unit.settled();
        }
      : appendOne;
    const writer = async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await durableAppend(sampleEntry(next++));
        latencies.push(performance.now() - t);
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: writers }, writer));
    const elapsed = (performance.now() - start) / 1000;
    const reports = await verifyAuditChains(db);
    const events = reports.reduce((sum, r) => sum + r.events, 0);
    if (events !== latencies.length || reports.some((r) => r.broken)) {
      throw new Error(
        `${latencies.length} appends, but the log verifies as ${JSON.stringify(reports)}`,
      );
    }
    return {
      groupCommit: durability !== null,
      events: latencies.length,
      rate: latencies.length / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
