// Part 1 of the audit benchmark: how fast appendAudit adds events to a fresh SQLite file opened
// as the server opens it (WAL, synchronous=FULL). One event per transaction is what an audited
// request costs (its own durable commit); 1,000 per transaction shows the hashing and insert
// cost once the commit is shared. The file is left with `total` events for part 2.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { openDatabase } from '../dist/src/db/database.js';
import { migrateToLatest } from '../dist/src/db/migrate.js';
import { appendAudit } from '../dist/src/modules/audit/audit-log.js';
import { percentile } from './stats.js';

export const TENANT = randomUUID();
const ACTOR = randomUUID();
const OBJECTS = Array.from({ length: 64 }, () => randomUUID());

/** An event shaped like the ones a staff member's document download writes. */
export function sampleEntry(i) {
  const download = i % 2 === 0;
  return {
    at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    tenant: TENANT,
    actorKind: 'staff',
    actorId: ACTOR,
    actorRole: 'instructeur',
    actorTeam: 'equipe-nord',
    onBehalfOf: null,
    action: download ? 'document.read' : 'document.list',
    objectType: download ? 'document' : 'case',
    objectId: OBJECTS[i % OBJECTS.length],
    purpose: 'instruction',
    outcome: 'allowed',
    ip: '127.0.0.1',
    route: download
      ? 'GET /api/v1/documents/:documentId/content'
      : 'GET /api/v1/cases/:caseId/documents',
  };
}

export async function openBenchDatabase(dir) {
  const db = openDatabase({
    dataDir: dir,
    databaseUrl: `sqlite:${path.join(dir, 'audit.sqlite')}`,
  });
  await migrateToLatest(db);
  return db;
}

/**
 * Appends `single` events one transaction each, then batches of `batch` until the file holds
 * `total`. Returns rates in events per second and the single append's latency in ms.
 */
export async function measureAppend(dir, { single = 2000, batch = 1000, total = 100_000 } = {}) {
  const db = await openBenchDatabase(dir);
  try {
    let n = 0;
    const latencies = [];
    let start = performance.now();
    for (; n < single; n++) {
      const t = performance.now();
      await appendAudit(db, sampleEntry(n));
      latencies.push(performance.now() - t);
    }
    const singleRate = single / ((performance.now() - start) / 1000);

    start = performance.now();
    const before = n;
    while (n < total) {
      const end = Math.min(total, n + batch);
      await db.transaction().execute(async (trx) => {
        for (; n < end; n++) await appendAudit(trx, sampleEntry(n));
      });
    }
    const batchRate = (n - before) / ((performance.now() - start) / 1000);
    return {
      singleRate,
      singleP50: percentile(latencies, 50),
      singleP99: percentile(latencies, 99),
      batchRate,
      events: n,
    };
  } finally {
    await db.destroy();
  }
}
