import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Client } from './harness/client.js';
import { makeDataDir, runCli, startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { eventually, stopAndRemove } from './support/storage.js';
import { openNote } from '../src/modules/audit/signed-note.js';
import { verifyConsistency, verifyInclusion } from '../src/modules/audit/merkle.js';
import { writeDb } from './support/writable-db.js';

/**
 * THREATS.md T6, first part of issue 5: every action on personal data and every security event
 * lands in a per-tenant hash chain the database will not let anyone update or delete, and
 * `cloison audit verify` finds any row edited, deleted or reordered behind its back.
 */

let server: RunningServer;
let world: World;
beforeAll(async () => {
  server = await startServer();
  world = readWorld(server.dbFile);
});
afterAll(() => stopAndRemove(server));

interface AuditRow {
  chain: string;
  seq: number;
  entry: string;
}

function auditRows(where = '1 = 1', ...params: unknown[]): AuditRow[] {
  return queryDb<AuditRow>(
    server.dbFile,
    `select chain, seq, entry from audit_events where ${where} order by chain, seq`,
    ...params,
  );
}

const verify = () =>
  runCli(['audit', 'verify'], { CLOISON_DATA_DIR: server.dataDir, LOG_LEVEL: 'error' });

/** A write the database triggers would refuse, done the way an intruder with the file would. */
function tamper(sqlText: string, ...params: unknown[]): void {
  const db = new Database(server.dbFile, { fileMustExist: true, timeout: 5_000 });
  try {
    db.exec(
      'drop trigger if exists audit_events_no_update; drop trigger if exists audit_events_no_delete',
    );
    db.prepare(sqlText).run(...params);
  } finally {
    db.close();
  }
}

describe('the audit log', () => {
  it('records each read of a document exactly once, with ids and never its content', async () => {
    const usager = server.account('usager');
    const person = world.persons.find((p) => p.account_id === usager.id)!;
    const doc = world.documents.find((d) =>
      world.cases.some((c) => c.id === d.case_id && c.person_id === person.id),
    )!;
    const client = await new Client(server.baseUrl).login(usager);
    const before = auditRows("json_extract(entry, '$.action') = 'document.read'").length;
    const res = await client.get(`/api/v1/documents/${doc.id}/content`);
    expect(res.status).toBe(200);
    const reads = auditRows(
      "json_extract(entry, '$.action') = 'document.read' and json_extract(entry, '$.objectId') = ?",
      doc.id,
    );
    expect(reads).toHaveLength(1);
    expect(auditRows("json_extract(entry, '$.action') = 'document.read'")).toHaveLength(before + 1);
    const entry = JSON.parse(reads[0]!.entry) as Record<string, unknown>;
    expect(entry).toMatchObject({
      actorKind: 'usager',
      actorId: usager.id,
      action: 'document.read',
      objectType: 'document',
      objectId: doc.id,
      outcome: 'allowed',
      tenant: person.tenant_id,
    });
    expect(reads[0]!.chain).toBe(person.tenant_id);
    // Nothing of the document: no file name, no byte of it, no name of the person.
    expect(reads[0]!.entry).not.toContain(doc.original_name);
    expect(reads[0]!.entry).not.toContain(person.last_name);
    expect(reads[0]!.entry).not.toContain(res.bytes.subarray(0, 16).toString('base64'));
  });

  it('records refusals with their outcome, in the chain of the tenant or the platform', async () => {
    const client = await new Client(server.baseUrl).login(server.account('usager', '85'));
    const foreign = world.cases.find(
      (c) => c.tenant_id === world.tenants.find((t) => t.code === '44')!.id,
    )!;
    expect((await client.get(`/api/v1/cases/${foreign.id}`)).status).toBe(404);
    const denied = auditRows(
      "json_extract(entry, '$.action') = 'access.denied' and json_extract(entry, '$.objectId') = ?",
      foreign.id,
    );
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(denied.at(-1)!.entry)).toMatchObject({ outcome: 'refused' });
    expect((await new Client(server.baseUrl).get('/api/v1/cases')).status).toBe(401);
    expect(auditRows("chain = '-'").length).toBeGreaterThan(0);
  });

  it('is refused by the database itself when someone updates or deletes a row', () => {
    expect(() =>
      writeDb(server.dbFile, "update audit_events set entry = '{}' where seq = 1"),
    ).toThrow(/append-only/);
    expect(() => writeDb(server.dbFile, 'delete from audit_events where seq = 1')).toThrow(
      /append-only/,
    );
  });

  it('does not serve a read it cannot record', async () => {
    const usager = server.account('usager');
    const client = await new Client(server.baseUrl).login(usager);
    const doc = world.documents.find((d) =>
      world.cases.some(
        (c) =>
          c.id === d.case_id &&
          c.person_id === world.persons.find((p) => p.account_id === usager.id)!.id,
      ),
    )!;
    const db = new Database(server.dbFile, { fileMustExist: true, timeout: 5_000 });
    db.exec(
      `create trigger audit_events_broken before insert on audit_events
       begin select raise(abort, 'disk full'); end`,
    );
    db.close();
    try {
      const res = await client.get(`/api/v1/documents/${doc.id}/content`);
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.bytes.subarray(0, 4).toString()).not.toBe('%PDF');
    } finally {
      writeDb(server.dbFile, 'drop trigger audit_events_broken');
    }
  });
});

describe('a change and its record', () => {
  it('commit together: a change whose audit event cannot be written is not kept', async () => {
    const usager = server.account('usager');
    const person = world.persons.find((p) => p.account_id === usager.id)!;
    const kase = world.cases.find((c) => c.person_id === person.id)!;
    const client = await new Client(server.baseUrl).login(usager);
    const messages = () =>
      queryDb(server.dbFile, 'select id from messages where case_id = ?', kase.id).length;
    const before = messages();
    writeDb(
      server.dbFile,
      `create trigger audit_events_refuse_messages before insert on audit_events
       when json_extract(new.entry, '$.action') = 'message.create'
       begin select raise(abort, 'disk full'); end`,
    );
    try {
      const res = await client.post(`/api/v1/cases/${kase.id}/messages`, {
        json: { body: 'Un message qui ne doit pas rester sans trace' },
      });
      expect(res.status).toBe(500);
      expect(messages()).toBe(before);
    } finally {
      writeDb(server.dbFile, 'drop trigger audit_events_refuse_messages');
    }
    const sent = await client.post(`/api/v1/cases/${kase.id}/messages`, {
      json: { body: 'Un message avec sa trace' },
    });
    expect(sent.status).toBe(201);
    expect(messages()).toBe(before + 1);
    // The record names the message created, and says the usager acted for themself.
    const id = (sent.json as { id: string }).id;
    const [record] = auditRows(
      "json_extract(entry, '$.action') = 'message.create' and json_extract(entry, '$.objectId') = ?",
      id,
    );
    expect(JSON.parse(record!.entry)).toMatchObject({
      actorId: usager.id,
      objectType: 'message',
      onBehalfOf: null,
      outcome: 'allowed',
    });
  });

  it('commit together inside a service’s transaction: a transition whose record fails is undone', async () => {
    const agent = await new Client(server.baseUrl).login(server.account('accueil'));
    const kase = world.cases.find(
      (c) =>
        c.tenant_id === world.tenants.find((t) => t.code === '44')!.id && c.status === 'depose',
    )!;
    const state = () => ({
      status: queryDb<{ status: string }>(
        server.dbFile,
        'select status from cases where id = ?',
        kase.id,
      )[0]!.status,
      moves: queryDb(server.dbFile, 'select id from case_transitions where case_id = ?', kase.id)
        .length,
    });
    const before = state();
    writeDb(
      server.dbFile,
      `create trigger audit_events_refuse_transitions before insert on audit_events
       when json_extract(new.entry, '$.action') = 'case.transition'
       begin select raise(abort, 'disk full'); end`,
    );
    try {
      const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const res = await agent.post(`/api/v1/cases/${kase.id}/transitions`, {
        json: { to: 'attente_pieces', piecesDeadline: deadline },
      });
      expect(res.status).toBe(500);
      expect(state()).toEqual(before);
    } finally {
      writeDb(server.dbFile, 'drop trigger audit_events_refuse_transitions');
    }
  });

  it('names the person a representative acted for', async () => {
    const demo = server.account('parent');
    const mandate = world.mandates.find(
      (m) => m.representative_account_id === demo.id && m.verified_at !== null,
    )!;
    const kase = world.cases.find((c) => c.person_id === mandate.person_id)!;
    const client = await new Client(server.baseUrl).login(demo);
    expect((await client.get(`/api/v1/cases/${kase.id}`)).status).toBe(200);
    const reads = auditRows(
      "json_extract(entry, '$.action') = 'case.read' and json_extract(entry, '$.actorId') = ?",
      demo.id,
    );
    expect(JSON.parse(reads.at(-1)!.entry)).toMatchObject({
      objectId: kase.id,
      onBehalfOf: `person:${mandate.person_id}`,
    });
  });
});

describe('who consulted my file', () => {
  it('shows the usager every access by staff to their cases and documents, and no one else’s', async () => {
    const usager = server.account('usager');
    const person = world.persons.find((p) => p.account_id === usager.id)!;
    const theirs = world.cases.filter((c) => c.person_id === person.id && c.status !== 'brouillon');
    const agent = await new Client(server.baseUrl).login(server.account('accueil'));
    const seen = theirs[0]!;
    expect((await agent.get(`/api/v1/cases/${seen.id}`)).status).toBe(200);
    const doc = world.documents.find((d) => d.case_id === seen.id && d.category !== 'medical');
    if (doc) expect((await agent.get(`/api/v1/documents/${doc.id}/content`)).status).toBe(200);

    const mine = await (
      await new Client(server.baseUrl).login(usager)
    ).get('/api/v1/me/consultations');
    expect(mine.status).toBe(200);
    const items = (mine.json as { items: Array<Record<string, unknown>> }).items;
    expect(items).toContainEqual(
      expect.objectContaining({
        role: 'accueil',
        purpose: 'accueil et enregistrement',
        action: 'case.read',
        caseReference: seen.reference,
      }),
    );
    if (doc) expect(items.some((i) => i.action === 'document.read')).toBe(true);
    // No agent's name or id, and nothing of another person's file.
    expect(mine.text).not.toContain(server.account('accueil').id);
    expect(mine.text).not.toContain(server.account('accueil').displayName);

    const other = await (
      await new Client(server.baseUrl).login(server.account('usager-2'))
    ).get('/api/v1/me/consultations');
    expect(other.text).not.toContain(seen.reference);
    // Staff have no such list.
    expect((await agent.get('/api/v1/me/consultations')).status).toBe(403);
  });

  it('names the agents only once the DPO of that département chose to', async () => {
    const usager = server.account('usager');
    const person = world.persons.find((p) => p.account_id === usager.id)!;
    const seen = world.cases.find((c) => c.person_id === person.id && c.status !== 'brouillon')!;
    const accueil = server.account('accueil');
    const agent = await new Client(server.baseUrl).login(accueil);
    expect((await agent.get(`/api/v1/cases/${seen.id}`)).status).toBe(200);
    const me = await new Client(server.baseUrl).login(usager);
    expect((await me.get('/api/v1/me/consultations')).text).not.toContain(accueil.displayName);

    // Another département's DPO choosing it changes nothing here; the admin may not choose.
    const elsewhere = await new Client(server.baseUrl).login(server.account('dpo', '85'));
    expect(
      (await elsewhere.put('/api/v1/consultation-settings', { json: { showNames: true } })).status,
    ).toBe(200);
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    expect(
      (await admin.put('/api/v1/consultation-settings', { json: { showNames: true } })).status,
    ).toBe(403);
    expect((await me.get('/api/v1/me/consultations')).text).not.toContain(accueil.displayName);

    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const set = await dpo.put('/api/v1/consultation-settings', { json: { showNames: true } });
    expect(set.json).toEqual({ showNames: true });
    try {
      const named = (await me.get('/api/v1/me/consultations')).json as {
        items: Array<{ agentName?: string; role: string }>;
      };
      expect(named.items.filter((i) => i.role === 'accueil')[0]?.agentName).toBe(
        accueil.displayName,
      );
    } finally {
      await dpo.put('/api/v1/consultation-settings', { json: { showNames: false } });
      await elsewhere.put('/api/v1/consultation-settings', { json: { showNames: false } });
    }
  });
});

describe('cloison audit verify', () => {
  it('says every chain is intact, then finds an edited, a deleted and a reordered row', async () => {
    const reader = await new Client(server.baseUrl).login(server.account('usager'));
    for (let i = 0; i < 3; i += 1) expect((await reader.get('/api/v1/cases')).status).toBe(200);
    const clean = await verify();
    expect(clean.code, clean.output).toBe(0);
    expect(clean.output).toMatch(/chain intact/);
    await server.stop();

    const tenant = world.tenants.find((t) => t.code === '44')!.id;
    const rows = auditRows('chain = ?', tenant);
    expect(rows.length).toBeGreaterThan(3);

    // Edit: one event's outcome turned from refused to allowed.
    const edited = rows[1]!;
    tamper(
      'update audit_events set entry = ? where chain = ? and seq = ?',
      edited.entry.replace(/"outcome":"\w+"/, '"outcome":"allowed"').replace('"ip":', '"ip" :'),
      tenant,
      edited.seq,
    );
    let out = await verify();
    expect(out.code).toBe(1);
    expect(out.output).toContain(`tenant ${tenant}: BROKEN at event ${edited.seq}`);
    tamper(
      'update audit_events set entry = ? where chain = ? and seq = ?',
      edited.entry,
      tenant,
      edited.seq,
    );
    expect((await verify()).code).toBe(0);

    // Reorder: two events swap places.
    const [a, b] = [rows[2]!, rows[3]!];
    tamper('update audit_events set seq = -1 where chain = ? and seq = ?', tenant, a.seq);
    tamper('update audit_events set seq = ? where chain = ? and seq = ?', a.seq, tenant, b.seq);
    tamper('update audit_events set seq = ? where chain = ? and seq = -1', b.seq, tenant);
    out = await verify();
    expect(out.code).toBe(1);
    expect(out.output).toContain(`BROKEN at event ${a.seq}`);

    // Delete: one event gone.
    tamper('delete from audit_events where chain = ? and seq = ?', tenant, 1);
    out = await verify();
    expect(out.code).toBe(1);
    expect(out.output).toMatch(/event 1 is missing/);
  });
});

describe('signed checkpoints and the witness', () => {
  it('catch a log rewritten with its hashes recomputed, and a database that lost its checkpoints', async () => {
    const witnessDir = makeDataDir('cloison-witness-');
    const witness = path.join(witnessDir, 'checkpoints.jsonl');
    const s = await startServer({
      env: { CLOISON_AUDIT_CHECKPOINT_SECONDS: '1', CLOISON_AUDIT_WITNESS_FILE: witness },
    });
    try {
      const w = readWorld(s.dbFile);
      const tenant = w.tenants.find((t) => t.code === '44')!.id;
      const client = await new Client(s.baseUrl).login(s.account('usager'));
      for (let i = 0; i < 5; i += 1) expect((await client.get('/api/v1/cases')).status).toBe(200);
      const size = queryDb<{ n: number }>(
        s.dbFile,
        'select count(*) as n from audit_events where chain = ?',
        tenant,
      )[0]!.n;
      const signed = await eventually(
        () =>
          queryDb(
            s.dbFile,
            'select size from audit_checkpoints where chain = ? and size = ?',
            tenant,
            size,
          ).length === 1,
        10_000,
      );
      expect(signed).toBe(true);

      // An auditor (the DPO) checks the log without trusting the server: the signature of the
      // checkpoint, an event's inclusion in it and the consistency of an older size with it.
      const dpo = await new Client(s.baseUrl).login(s.account('dpo'));
      const cp = (await dpo.get('/api/v1/audit/checkpoint')).json as {
        size: number;
        rootHash: string;
        note: string;
        keyName: string;
        publicKey: string;
      };
      expect(cp.size).toBeGreaterThanOrEqual(size);
      const opened = openNote(cp.note, cp.keyName, Buffer.from(cp.publicKey, 'base64'));
      expect(opened?.root.toString('hex')).toBe(cp.rootHash);
      const inc = (await dpo.get(`/api/v1/audit/proofs/inclusion?seq=2&size=${cp.size}`)).json as {
        leafHash: string;
        proof: string[];
      };
      const hex = (h: string) => Buffer.from(h, 'hex');
      expect(
        verifyInclusion(1, cp.size, hex(inc.leafHash), inc.proof.map(hex), hex(cp.rootHash)),
      ).toBe(true);
      const con = (await dpo.get(`/api/v1/audit/proofs/consistency?from=3&to=${cp.size}`)).json as {
        fromRoot: string;
        proof: string[];
      };
      expect(
        verifyConsistency(3, cp.size, hex(con.fromRoot), hex(cp.rootHash), con.proof.map(hex)),
      ).toBe(true);
      // The SIEM export: every event of the tenant as a JSON line, in order.
      const lines = (await dpo.get('/api/v1/audit/events')).text.trim().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(cp.size);
      expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq).slice(0, 3)).toEqual([
        1, 2, 3,
      ]);
      const admin = await new Client(s.baseUrl).login(s.account('admin'));
      expect((await admin.get('/api/v1/audit/events')).status).toBe(403);
      await s.stop();
      const [note] = queryDb<{ note: string }>(
        s.dbFile,
        'select note from audit_checkpoints where chain = ? and size = ?',
        tenant,
        size,
      );
      // C2SP tlog-checkpoint: origin, size, base64 root, blank line, one signature line.
      expect(note!.note).toMatch(
        new RegExp(
          `^[^\\n]+/cloison/audit/${tenant}\\n${size}\\n[A-Za-z0-9+/]{43}=\\n\\n— \\S+ [A-Za-z0-9+/=]{92}\\n$`,
        ),
      );
      const run = (extra: string[] = []) =>
        runCli(['audit', 'verify', ...extra], { CLOISON_DATA_DIR: s.dataDir, LOG_LEVEL: 'error' });
      const clean = await run(['--witness', witness]);
      expect(clean.code, clean.output).toBe(0);
      expect(clean.output).toMatch(/signed checkpoints match/);

      // An intruder rewrites event 2 and recomputes every leaf and link after it: the chain
      // alone looks intact, the checkpoint signed before does not match any more.
      const db = new Database(s.dbFile, { fileMustExist: true });
      db.exec('drop trigger audit_events_no_update; drop trigger audit_checkpoints_no_delete');
      const rows = db
        .prepare('select seq, entry from audit_events where chain = ? order by seq')
        .all(tenant) as Array<{ seq: number; entry: string }>;
      let previous = '0'.repeat(64);
      for (const row of rows) {
        const entry =
          row.seq === 2 ? row.entry.replace(/"outcome":"\w+"/, '"outcome":"refused"') : row.entry;
        const leaf = createHash('sha256')
          .update(Buffer.concat([Buffer.from([0]), Buffer.from(entry)]))
          .digest('hex');
        previous = createHash('sha256')
          .update(Buffer.concat([Buffer.from(previous, 'hex'), Buffer.from(leaf, 'hex')]))
          .digest('hex');
        db.prepare(
          'update audit_events set entry = ?, leaf_hash = ?, chain_hash = ? where chain = ? and seq = ?',
        ).run(entry, leaf, previous, tenant, row.seq);
      }
      let out = await run();
      expect(out.code).toBe(1);
      expect(out.output).toMatch(/no longer match the checkpoint signed for them/);

      // Deleting the checkpoints too fools the database alone, not the witness.
      db.prepare('delete from audit_checkpoints where chain = ?').run(tenant);
      db.close();
      expect((await run()).code).toBe(0);
      out = await run(['--witness', witness]);
      expect(out.code).toBe(1);
      expect(out.output).toContain(`tenant ${tenant}: BROKEN`);
    } finally {
      await stopAndRemove(s);
      fs.rmSync(witnessDir, { recursive: true, force: true });
    }
  });
});
