import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { runCli, startServer } from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { eventually } from './support/storage.js';
import { writeDb } from './support/writable-db.js';
import {
  actionRows,
  chainRows,
  lastCheckpoint,
  lastSeq,
  tamper,
  verifyLog,
} from './support/audit-db.js';
import { canonicalEntry, chainHash, leafHash } from '../src/modules/audit/audit-log.js';
import { parseMarker } from '../src/modules/audit/chain-tree.js';
import {
  compactRange,
  prunedSource,
  verifyConsistency,
  verifyInclusion,
} from '../src/modules/audit/merkle.js';
import type { AuditRetentionTable } from '../src/db/schema.js';

/**
 * Issue 5 item 8: audit events are kept CLOISON_AUDIT_RETENTION_DAYS (a year by default) and then
 * purged so that what remains still verifies: the chain restarts from the retention marker's
 * hash, checkpoints signed before the purge still match, proofs about the remaining events
 * still check, and the database refuses to delete anything the marker does not cover.
 */

let dataDir: string | undefined;
afterAll(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The server N days later; nobody's account falls dormant meanwhile. */
const daysLater = (days: number, extra: Record<string, string> = {}) => ({
  CLOISON_CLOCK_OFFSET: `${days}d`,
  CLOISON_DORMANT_DAYS: '3650',
  ...extra,
});

function latestMarker(dbFile: string, chain: string): AuditRetentionTable | undefined {
  return queryDb<AuditRetentionTable>(
    dbFile,
    'select * from audit_retention where chain = ? order by through_seq desc limit 1',
    chain,
  )[0];
}

const hex = (h: string) => Buffer.from(h, 'hex');

describe('retention of the audit log', () => {
  it('purges events a year old so that what remains still verifies, and nothing younger', async () => {
    const s1 = await startServer();
    dataDir = s1.dataDir;
    const dbFile = s1.dbFile;
    const tenant = readWorld(dbFile).tenants.find((t) => t.code === '44')!.id;
    const usagerAccount = s1.account('usager');
    try {
      const usager = await new Client(s1.baseUrl).login(usagerAccount);
      for (let i = 0; i < 3; i += 1) expect((await usager.get('/api/v1/cases')).status).toBe(200);
      expect((await new Client(s1.baseUrl).get('/api/v1/cases')).status).toBe(401);
    } finally {
      await s1.stop();
    }
    const securityEventsBefore = queryDb(dbFile, 'select id from security_events').length;
    expect(securityEventsBefore).toBeGreaterThan(0);
    // Stopped before the first checkpoint (every minute by default): nothing signed yet.
    expect(queryDb(dbFile, 'select * from audit_checkpoints')).toHaveLength(0);
    const before = { [tenant]: lastSeq(dbFile, tenant), '-': lastSeq(dbFile, '-') };
    expect(before['-']).toBeGreaterThan(0);

    // A year and a day later.
    const s2 = await startServer({
      dataDir,
      env: daysLater(366, { CLOISON_AUDIT_CHECKPOINT_SECONDS: '1' }),
    });
    let k = 0;
    let covering: { size: number; root_hash: string } | undefined;
    try {
      const purged = await eventually(
        () => [tenant, '-'].every((chain) => latestMarker(dbFile, chain)),
        20_000,
      );
      expect(purged, s2.output()).toBe(true);
      // The operational copy of security events (addresses, detail) goes with the log.
      expect(
        await eventually(
          () =>
            queryDb<{ at: string }>(dbFile, 'select at from security_events').every(
              (e) => Date.parse(e.at) > Date.now() + 365 * 86_400_000,
            ),
          10_000,
        ),
      ).toBe(true);
      for (const chain of [tenant, '-']) {
        const marker = latestMarker(dbFile, chain)!;
        expect(marker.through_seq).toBe(before[chain]);
        expect(chainRows(dbFile, chain, 'seq <= ?', marker.through_seq)).toHaveLength(0);
        // The purge is itself an event of the chain, by the system.
        const [record] = actionRows(dbFile, chain, 'audit.purged');
        expect(JSON.parse(record!.entry)).toMatchObject({
          actorKind: 'system',
          actorId: null,
          action: 'audit.purged',
          objectType: 'audit-chain',
          objectId: `${chain}:${marker.through_seq}`,
          tenant: chain === '-' ? null : chain,
        });
        // The chain had never been checkpointed: it was, before anything went (the platform
        // chain with the platform's key).
        const first = queryDb<{ size: number; root_hash: string; created_at: string }>(
          dbFile,
          'select size, root_hash, created_at from audit_checkpoints where chain = ? order by size limit 1',
          chain,
        )[0]!;
        expect(first.size).toBeGreaterThanOrEqual(marker.through_seq);
        expect(first.created_at <= marker.purged_at).toBe(true);
        if (chain === tenant) covering = first;
      }
      k = latestMarker(dbFile, tenant)!.through_seq;

      // An auditor still proves the remaining events against what is signed now, and the
      // tree now is consistent with the one signed before the purge.
      const dpo = await new Client(s2.baseUrl).login(s2.account('dpo'));
      expect(await eventually(() => lastCheckpoint(dbFile, tenant)!.size > k, 10_000)).toBe(true);
      const cp = (await dpo.get('/api/v1/audit/checkpoint')).json as {
        size: number;
        rootHash: string;
      };
      expect(cp.size).toBeGreaterThan(k);
      const inc = await dpo.get(`/api/v1/audit/proofs/inclusion?seq=${k + 1}&size=${cp.size}`);
      expect(inc.status, inc.text).toBe(200);
      const proof = inc.json as { leafHash: string; rootHash: string; proof: string[] };
      expect(proof.leafHash).toBe(chainRows(dbFile, tenant, 'seq = ?', k + 1)[0]!.leaf_hash);
      expect(proof.rootHash).toBe(cp.rootHash);
      expect(
        verifyInclusion(k, cp.size, hex(proof.leafHash), proof.proof.map(hex), hex(cp.rootHash)),
      ).toBe(true);
      const con = await dpo.get(
        `/api/v1/audit/proofs/consistency?from=${covering!.size}&to=${cp.size}`,
      );
      expect(con.status, con.text).toBe(200);
      const conProof = con.json as { fromRoot: string; proof: string[] };
      expect(conProof.fromRoot).toBe(covering!.root_hash);
      expect(
        verifyConsistency(
          covering!.size,
          cp.size,
          hex(covering!.root_hash),
          hex(cp.rootHash),
          conProof.proof.map(hex),
        ),
      ).toBe(true);
      // A purged event cannot be proven any more, and says why.
      const gone = await dpo.get(`/api/v1/audit/proofs/inclusion?seq=1&size=${cp.size}`);
      expect(gone.status).toBe(410);
      expect((gone.json as { type: string }).type).toBe('urn:cloison:problem:audit-purged');

      // The year goes on, and is signed.
      const usager = await new Client(s2.baseUrl).login(usagerAccount);
      for (let i = 0; i < 3; i += 1) expect((await usager.get('/api/v1/cases')).status).toBe(200);
      const signed = await eventually(
        () => lastCheckpoint(dbFile, tenant)?.size === lastSeq(dbFile, tenant),
        10_000,
      );
      expect(signed).toBe(true);
    } finally {
      await s2.stop();
    }
    let out = await verifyLog(dataDir, '366d');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toMatch(
      new RegExp(
        `tenant ${tenant}: \\d+ events \\(events 1 to ${k} purged by retention\\), chain intact`,
      ),
    );
    expect(out.output).toMatch(/platform: \d+ events \(events 1 to \d+ purged by retention\)/);

    // Another year: the second purge starts from the first one's marker; the checkpoints signed
    // in between are now before retention.
    const k2Expected = lastSeq(dbFile, tenant);
    const s3 = await startServer({
      dataDir,
      env: daysLater(732, { CLOISON_AUDIT_CHECKPOINT_SECONDS: '1' }),
    });
    try {
      const again = await eventually(() => latestMarker(dbFile, tenant)!.through_seq > k, 20_000);
      expect(again, s3.output()).toBe(true);
      expect(latestMarker(dbFile, tenant)!.through_seq).toBe(k2Expected);
      // Wait for the purge event itself to be signed: the forged purge below needs it.
      const signed = await eventually(
        () => (lastCheckpoint(dbFile, tenant)?.size ?? 0) > k2Expected,
        10_000,
      );
      expect(signed).toBe(true);
    } finally {
      await s3.stop();
    }
    out = await verifyLog(dataDir, '732d');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toMatch(
      new RegExp(`tenant ${tenant}: .*purged by retention.*checkpoints are before retention`),
    );

    // The database still refuses to delete what retention has not reached, or to move a marker.
    const kept = chainRows(dbFile, tenant);
    const first = kept[0]!;
    expect(() =>
      writeDb(dbFile, 'delete from audit_events where chain = ? and seq = ?', tenant, first.seq),
    ).toThrow(/append-only/);
    expect(() =>
      writeDb(dbFile, 'update audit_retention set through_seq = 1 where chain = ?', tenant),
    ).toThrow(/append-only/);
    expect(() => writeDb(dbFile, 'delete from audit_retention where chain = ?', tenant)).toThrow(
      /append-only/,
    );
    expect(() =>
      writeDb(dbFile, `insert into audit_retention values (?, ?, '', '', '', '[]', '')`, tenant, k),
    ).toThrow(/only moves forward/);
    expect(() =>
      writeDb(dbFile, `insert into audit_events values (?, 1, '', '{}', '', '')`, tenant),
    ).toThrow(/purged/);

    // An edit of an event that remains is still found.
    tamper(
      dbFile,
      'update audit_events set entry = ? where chain = ? and seq = ?',
      first.entry.replace('"ip":', '"ip" :'),
      tenant,
      first.seq,
    );
    out = await verifyLog(dataDir, '732d');
    expect(out.code).toBe(1);
    expect(out.output).toContain(`tenant ${tenant}: BROKEN at event ${first.seq} `);
    tamper(
      dbFile,
      'update audit_events set entry = ? where chain = ? and seq = ?',
      first.entry,
      tenant,
      first.seq,
    );
    expect((await verifyLog(dataDir, '732d')).code).toBe(0);
  });

  it('does not believe a purge forged with SQL alone to hide recent events', async () => {
    expect(dataDir).toBeDefined();
    const dbFile = `${dataDir!}/cloison.sqlite`;
    const tenant = readWorld(dbFile).tenants.find((t) => t.code === '44')!.id;
    // The triggers are intact: the intruder can only insert a marker and delete below it. The
    // marker is made exactly as retention makes it, over recent events a checkpoint covers.
    expect(
      queryDb(dbFile, "select name from sqlite_master where name = 'audit_events_no_delete'"),
    ).toHaveLength(1);
    const marker = parseMarker(latestMarker(dbFile, tenant)!)!;
    const rows = chainRows(dbFile, tenant);
    const target = lastCheckpoint(dbFile, tenant)!.size;
    const source = prunedSource(marker.range, [
      Buffer.from(leafHash(marker.lastEntry), 'hex'),
      ...rows.map((r) => hex(r.leaf_hash)),
    ]);
    const last = rows.find((r) => r.seq === target)!;
    const prev = rows.find((r) => r.seq === target - 1)?.chain_hash ?? marker.chainHash;
    const at = new Date(Date.parse(last.at)).toISOString();
    writeDb(
      dbFile,
      'insert into audit_retention values (?, ?, ?, ?, ?, ?, ?)',
      tenant,
      target,
      last.chain_hash,
      prev,
      last.entry,
      JSON.stringify(compactRange(source, target - 1).hashes.map((h) => h.toString('hex'))),
      at,
    );
    expect(
      writeDb(dbFile, 'delete from audit_events where chain = ? and seq <= ?', tenant, target),
    ).toBe(target - marker.throughSeq);
    let out = await verifyLog(dataDir!, '732d');
    expect(out.code).toBe(1);
    expect(out.output).toContain(
      `no audit.purged event records the purge of events up to ${target}`,
    );

    // With the purge event forged too, dated 40 days after the events (past the 30-day floor),
    // the events purged were still younger than the configured retention (365 days).
    const tail = chainRows(dbFile, tenant).at(-1);
    const forgedAt = new Date(Date.parse(last.at) + 40 * 86_400_000).toISOString();
    const entry = canonicalEntry({
      at: forgedAt,
      tenant,
      actorKind: 'system',
      actorId: null,
      actorRole: null,
      actorTeam: null,
      onBehalfOf: null,
      action: 'audit.purged',
      objectType: 'audit-chain',
      objectId: `${tenant}:${target}`,
      purpose: null,
      outcome: 'allowed',
      ip: null,
      route: null,
    });
    const leaf = leafHash(entry);
    writeDb(
      dbFile,
      'insert into audit_events values (?, ?, ?, ?, ?, ?)',
      tenant,
      (tail?.seq ?? target) + 1,
      forgedAt,
      entry,
      leaf,
      chainHash(tail?.chain_hash ?? last.chain_hash, leaf),
    );
    // Read 48 days later, so that the forged purge is in the verifier's past.
    out = await verifyLog(dataDir!, '780d');
    expect(out.code).toBe(1);
    expect(out.output).toContain(
      `event ${target} was purged less than 365 days after it was written`,
    );
    // And a verifier whose clock is behind the forged purge says it is dated in the future.
    out = await verifyLog(dataDir!, '700d');
    expect(out.code).toBe(1);
    expect(out.output).toMatch(/is dated in the future/);
  });

  it('keeps a chain that does not verify as evidence instead of purging it', async () => {
    const dbFile = `${dataDir!}/cloison.sqlite`;
    const tenant = readWorld(dbFile).tenants.find((t) => t.code === '44')!.id;
    const kept = latestMarker(dbFile, tenant)!.through_seq;
    const platform = latestMarker(dbFile, '-')!.through_seq;
    const s = await startServer({ dataDir: dataDir!, env: daysLater(1200) });
    try {
      const skipped = await eventually(
        () => /audit retention skipped: the chain does not verify/.test(s.output()),
        20_000,
      );
      expect(skipped, s.output()).toBe(true);
      // The intact platform chain was purged by the same run; the broken one was not.
      expect(await eventually(() => latestMarker(dbFile, '-')!.through_seq > platform)).toBe(true);
      expect(latestMarker(dbFile, tenant)!.through_seq).toBe(kept);
    } finally {
      await s.stop();
    }
  });

  it('refuses a retention shorter than 30 days at start', async () => {
    const out = await runCli(['routes'], { CLOISON_AUDIT_RETENTION_DAYS: '7' });
    expect(out.code).toBe(78);
    expect(out.output).toMatch(/CLOISON_AUDIT_RETENTION_DAYS must be between 30 and/);
  });
});
