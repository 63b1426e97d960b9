// Part 3 of the audit benchmark: the document list and a document download through the real
// server (`cloison serve --demo`, logs at info), for an instructeur signed in with password and
// TOTP. Every one of these answers appends an audit event (a durable commit of its own) before
// it leaves. Run on this checkout and on a built checkout from before the audit log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { ROOT, signIn, startCloison } from './cloison-server.js';
import { load } from './http-load.js';
import { percentile } from './stats.js';

export const SEQUENTIAL = 1000;
export const CONCURRENT = { connections: 8, requests: 3000 };

/**
 * The largest document the instructeur may download (ties broken by name), and its case: the
 * same one on both checkouts, whatever order the seed gave the cases.
 */
async function pickDocument(url, cookie) {
  const cases = await (await fetch(`${url}/api/v1/cases`, { headers: { cookie } })).json();
  let best = null;
  for (const c of cases.items) {
    const docs = await (
      await fetch(`${url}/api/v1/cases/${c.id}/documents`, { headers: { cookie } })
    ).json();
    for (const d of docs.items) {
      const better =
        !best ||
        d.sizeBytes > best.document.sizeBytes ||
        (d.sizeBytes === best.document.sizeBytes && d.originalName < best.document.originalName);
      if (better) best = { caseId: c.id, document: d, listed: docs.items.length };
    }
  }
  if (!best) throw new Error('the instructeur sees no case with a document');
  return best;
}

function auditEventCount(dataDir) {
  const db = new SQLite(path.join(dataDir, 'cloison.sqlite'), { readonly: true });
  try {
    const table = db
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'audit_events'")
      .get();
    return table ? db.prepare('select count(*) as n from audit_events').get().n : 0;
  } finally {
    db.close();
  }
}

const summary = ({ latencies, rate }) => ({
  rate,
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
});

/** Measures both routes on a fresh server started from `root`'s dist/. */
export async function measureRoutes(root = ROOT) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-routes-'));
  const server = await startCloison(dataDir, root);
  try {
    const accounts = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8'),
    ).accounts;
    const instructeur = accounts.find((a) => a.label === 'instructeur' && a.tenant === '44');
    const cookie = await signIn(server.url, instructeur);
    const { caseId, document, listed } = await pickDocument(server.url, cookie);
    const routes = {
      list: `${server.url}/api/v1/cases/${caseId}/documents`,
      download: `${server.url}/api/v1/documents/${document.id}/content`,
    };
    const before = auditEventCount(dataDir);
    const result = { documentBytes: document.sizeBytes, listed };
    for (const [name, url] of Object.entries(routes)) {
      const headers = { cookie };
      await load(url, { headers, requests: 100 });
      result[name] = {
        sequential: summary(await load(url, { headers, requests: SEQUENTIAL })),
        concurrent: summary(await load(url, { headers, ...CONCURRENT })),
      };
    }
    result.auditEvents = auditEventCount(dataDir) - before;
    return result;
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
