import { createHash, randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../src/modules/documents/sample-files.js';
import { Client, fileForm } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { eventually, listFiles, stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * THREATS.md T2 against a running server: canary values go in through the API, come back out
 * through the API, and appear nowhere on disk (database, WAL, blobs, keyring) nor in the logs.
 * Then stored values are altered or moved behind the server's back: it must answer with a
 * problem, never with garbage or with another row's data.
 */

let server: RunningServer;
const tag = randomBytes(6).toString('hex');
const canary = (what: string) => `CANARY${what}${tag}`;
const nir = `1${String(randomInt(10, 99))}0344${String(randomInt(100000, 999999))}${String(randomInt(10, 99))}`;

const C = {
  firstName: canary('Prenom'),
  lastName: canary('Nom'),
  nir,
  message: canary('Message'),
  note: canary('Note'),
  fileName: `${canary('Fichier')}.pdf`,
  pdfText: canary('ContenuPdf'),
  reason: canary('Motif'),
  minutes: canary('ProcesVerbal'),
  comment: canary('Commentaire'),
  birthDate: `19${String(randomInt(10, 40))}-02-${String(randomInt(10, 28))}`,
};
const pdfBytes = samplePdf(C.pdfText);
/** The clear bytes' hash is sealed too: in clear it would confirm a guessed document. */
const pdfHash = createHash('sha256').update(pdfBytes).digest('hex');

/** Every file under a directory, each searched for the value as UTF-8, UTF-16 and base64. */
function hitsOnDisk(dir: string, value: string): string[] {
  const needles = [
    Buffer.from(value, 'utf8'),
    Buffer.from(value, 'utf16le'),
    Buffer.from(Buffer.from(value).toString('base64').slice(0, -4), 'utf8'),
  ];
  return listFiles(dir).filter((file) => {
    const bytes = fs.readFileSync(path.join(dir, file));
    return needles.some((n) => bytes.includes(n));
  });
}

let personId: string;
let parentCaseId: string;
let documentId: string;

beforeAll(async () => {
  server = await startServer({ env: { LOG_LEVEL: 'debug' } });
  const usager = await new Client(server.baseUrl).login(server.account('usager'));
  const declared = await usager.post('/api/v1/persons', {
    json: {
      firstName: C.firstName,
      lastName: C.lastName,
      birthDate: C.birthDate,
      nir: C.nir,
      mandate: { kind: 'parent', startsOn: '2020-01-01', endsOn: '2030-05-17' },
    },
  });
  expect(declared.status, declared.text).toBe(201);
  personId = (declared.json as { id: string }).id;

  // A case of the usager's own, to carry a message, a document and a withdrawal comment.
  const world = readWorld(server.dbFile);
  const own = world.persons.find((p) => p.account_id === server.account('usager').id)!;
  const created = await usager.post('/api/v1/cases', {
    json: { personId: own.id, rights: ['AAH'] },
  });
  expect(created.status, created.text).toBe(201);
  parentCaseId = (created.json as { id: string }).id;
  expect(
    (
      await usager.post(`/api/v1/cases/${parentCaseId}/messages`, {
        json: { body: C.message },
      })
    ).status,
  ).toBe(201);
  const up = await usager.post(`/api/v1/cases/${parentCaseId}/documents?category=other`, {
    body: fileForm(pdfBytes, C.fileName, 'application/pdf'),
  });
  expect(up.status, up.text).toBe(201);
  documentId = (up.json as { id: string }).id;
  expect(
    (
      await usager.post(`/api/v1/cases/${parentCaseId}/transitions`, {
        json: { to: 'retire', comment: C.comment },
      })
    ).status,
  ).toBe(200);

  // Staff side: an internal note, a decision reason on the case awaiting the CDAPH, taken in the
  // demo session that has it on its agenda, and that session's minutes.
  const instructeur = await new Client(server.baseUrl).login(server.account('instructeur-sud'));
  const responsable = await new Client(server.baseUrl).login(server.account('responsable'));
  const cdaphCase = world.cases.find(
    (c) => c.tenant_id === own.tenant_id && c.status === 'attente_cdaph',
  )!;
  expect(
    (await instructeur.post(`/api/v1/cases/${cdaphCase.id}/notes`, { json: { body: C.note } }))
      .status,
  ).toBe(201);
  const sessions = await responsable.get('/api/v1/cdaph-sessions?status=planned');
  const sessionId = (sessions.json as { items: Array<{ id: string }> }).items[0]!.id;
  expect((await responsable.post(`/api/v1/cdaph-sessions/${sessionId}/open`)).status).toBe(200);
  const today = new Date().toISOString().slice(0, 10);
  const decided = await responsable.put(`/api/v1/cases/${cdaphCase.id}/rights/AAH/decision`, {
    json: {
      decision: 'accord',
      reason: C.reason,
      validFrom: today,
      validUntil: `${Number(today.slice(0, 4)) + 5}-12-31`,
    },
  });
  expect(decided.status, decided.text).toBe(200);
  const other = await responsable.put(`/api/v1/cases/${cdaphCase.id}/rights/PCH/decision`, {
    json: { decision: 'rejet', reason: 'Critères non remplis.' },
  });
  expect(other.status, other.text).toBe(200);
  const closed = await responsable.post(`/api/v1/cdaph-sessions/${sessionId}/close`, {
    json: { minutes: C.minutes },
  });
  expect(closed.status, closed.text).toBe(200);
  expect((closed.json as { minutes: string }).minutes).toBe(C.minutes);
});
afterAll(() => stopAndRemove(server));

describe('canaries (T2)', () => {
  it('come back through the API, so they really were stored', async () => {
    const accueil = await new Client(server.baseUrl).login(server.account('accueil'));
    const found = await accueil.post('/api/v1/persons/search', { json: { nir: C.nir } });
    expect(found.json).toEqual({
      items: [
        { id: personId, firstName: C.firstName, lastName: C.lastName, birthDate: C.birthDate },
      ],
    });
    const withoutKey = await accueil.post('/api/v1/persons/search', {
      json: { nir: C.nir.slice(0, 13) },
    });
    expect(withoutKey.json).toEqual(found.json);
    const world = readWorld(server.dbFile);
    // Stored without its control key (derivable), so both forms find the person.
    expect(world.persons.find((p) => p.id === personId)?.nir).toBe(C.nir.slice(0, 13));
    expect(world.messages.some((m) => m.body === C.message)).toBe(true);
    expect(world.notes.some((n) => n.body === C.note)).toBe(true);
    expect(world.caseRights.some((r) => r.decision_reason === C.reason)).toBe(true);
    expect(world.documents.find((d) => d.id === documentId)?.original_name).toBe(C.fileName);
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const pdf = await usager.get(`/api/v1/documents/${documentId}/content`);
    expect(pdf.text).toContain(C.pdfText);
  });

  it('the scanner finds what is stored in clear (control: e-mail addresses are)', () => {
    const email = server.account('usager').email;
    expect(hitsOnDisk(server.dataDir, email).length).toBeGreaterThan(0);
  });

  it('appear in no file of the data directory, while running and after shutdown', async () => {
    const check = () => {
      const hits = Object.entries({ ...C, pdfHash, nirCore: C.nir.slice(0, 13) }).flatMap(
        ([name, value]) =>
          hitsOnDisk(server.dataDir, value).map(
            (f) => `${name} in ${path.relative(server.dataDir, f)}`,
          ),
      );
      expect(hits).toEqual([]);
    };
    check(); // the WAL holds the recent writes while the server runs
    await server.stop();
    check();
  });

  it('appear nowhere in the logs', () => {
    const logs = server.output();
    expect(logs).toContain('"url":"/api/v1/persons/search"');
    for (const [name, value] of Object.entries(C)) {
      expect(logs.includes(value), `${name} in logs`).toBe(false);
    }
  });
});

describe('tampered and moved data', () => {
  let tampered: RunningServer;
  beforeAll(async () => {
    tampered = await startServer();
  });
  afterAll(() => stopAndRemove(tampered));

  const integrityProblem = {
    type: 'urn:cloison:problem:integrity',
    title: 'Données altérées',
    status: 500,
    detail: 'Cette donnée a été altérée.',
  };

  it('a flipped byte in a stored document: a problem, never bytes', async () => {
    const world = readWorld(tampered.dbFile);
    const usager = await new Client(tampered.baseUrl).login(tampered.account('usager'));
    const mine = world.cases.filter(
      (c) =>
        c.person_id ===
        world.persons.find((p) => p.account_id === tampered.account('usager').id)?.id,
    );
    const doc = world.documents.find(
      (d) => mine.some((c) => c.id === d.case_id) && d.category === 'financial',
    )!;
    const before = await usager.get(`/api/v1/documents/${doc.id}/content`);
    expect(before.status).toBe(200);

    const blobs = path.join(tampered.dataDir, 'blobs');
    const file = path.join(
      blobs,
      listFiles(blobs).find((f) => f.endsWith(doc.storage_key))!,
    );
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 20]! ^= 0x01;
    fs.writeFileSync(file, bytes);

    const after = await usager.get(`/api/v1/documents/${doc.id}/content`);
    expect(after.status).toBe(500);
    expect(after.json).toEqual(integrityProblem);
    const events = queryDb<{ n: number }>(
      tampered.dbFile,
      "select count(*) as n from security_events where kind = 'data.integrity-failure'",
    );
    expect(events[0]!.n).toBeGreaterThan(0);
  });

  it('a flipped byte deep in a large document: the transfer is cut short and reported', async () => {
    const world = readWorld(tampered.dbFile);
    const usager = await new Client(tampered.baseUrl).login(tampered.account('usager'));
    const me = world.persons.find((p) => p.account_id === tampered.account('usager').id)!;
    const draft = world.cases.find((c) => c.person_id === me.id && c.status === 'brouillon')!;
    const big = Buffer.concat([samplePdf('gros document'), Buffer.alloc(300_000, 0x20)]);
    const up = await usager.post(`/api/v1/cases/${draft.id}/documents?category=other`, {
      body: fileForm(big, 'gros.pdf', 'application/pdf'),
    });
    expect(up.status, up.text).toBe(201);
    const id = (up.json as { id: string }).id;
    const key = readWorld(tampered.dbFile).documents.find((d) => d.id === id)!.storage_key;
    const blobs = path.join(tampered.dataDir, 'blobs');
    const file = path.join(
      blobs,
      listFiles(blobs).find((f) => f.endsWith(key))!,
    );
    const bytes = fs.readFileSync(file);
    bytes[200_000]! ^= 0x01; // inside the fourth 64 KiB chunk
    fs.writeFileSync(file, bytes);

    const received = await fetch(`${tampered.baseUrl}/api/v1/documents/${id}/content`, {
      headers: { cookie: usager.sessionCookie! },
    }).then(
      async (res) => {
        try {
          return Buffer.from(await res.arrayBuffer()).length;
        } catch {
          return -1; // the connection was cut: fine, as long as nothing unauthenticated came
        }
      },
      () => -1,
    );
    // Never the whole file: at most the chunks before the altered one.
    expect(received).toBeLessThan(big.length);
    expect(received).toBeLessThanOrEqual(3 * 64 * 1024);
    // Recorded as the stream fails, which may be just after the client saw the cut.
    const recorded = () =>
      queryDb<{ n: number }>(
        tampered.dbFile,
        "select count(*) as n from security_events where kind = 'data.integrity-failure' and object_id = ?",
        id,
      )[0]!.n === 1;
    expect(await eventually(recorded)).toBe(true);
  });

  it('a flipped byte in a sealed field: a problem, never garbage', async () => {
    const world = readWorld(tampered.dbFile);
    const usager = await new Client(tampered.baseUrl).login(tampered.account('usager'));
    const message = world.messages.find((m) => m.body.includes('certificat médical'))!;
    const [row] = queryDb<{ body_enc: Buffer }>(
      tampered.dbFile,
      'select body_enc from messages where id = ?',
      message.id,
    );
    const sealed = Buffer.from(row!.body_enc);
    sealed[sealed.length - 1]! ^= 0x80;
    writeDb(tampered.dbFile, 'update messages set body_enc = ? where id = ?', sealed, message.id);
    const res = await usager.get(`/api/v1/cases/${message.case_id}/messages`);
    expect(res.status).toBe(500);
    expect(res.json).toEqual(integrityProblem);
    expect(res.text).not.toContain('certificat');
  });

  it('a sealed value moved to another row, or a blob to another document: refused', async () => {
    const world = readWorld(tampered.dbFile);
    const usager2 = tampered.account('usager-2');
    const bruno = world.persons.find((p) => p.account_id === usager2.id)!;
    const client = await new Client(tampered.baseUrl).login(usager2);

    // Same person, same column, another row: the row id is bound in, so it fails.
    const cdaph = world.cases.find(
      (c) => c.person_id === bruno.id && c.status === 'attente_cdaph',
    )!;
    const awaiting = world.cases.find(
      (c) => c.person_id === bruno.id && c.status === 'attente_pieces',
    )!;
    const [src] = queryDb<{ summary_enc: Buffer }>(
      tampered.dbFile,
      'select summary_enc from cases where id = ?',
      cdaph.id,
    );
    writeDb(
      tampered.dbFile,
      'update cases set summary_enc = ? where id = ?',
      src!.summary_enc,
      awaiting.id,
    );
    const moved = await client.get(`/api/v1/cases/${awaiting.id}`);
    expect(moved.status).toBe(500);
    expect(moved.json).toEqual(integrityProblem);
    expect(moved.text).not.toContain('Synthèse');

    // Same person, another document's blob under this document's row.
    const docs = world.documents.filter((d) => d.case_id === cdaph.id && d.category !== 'medical');
    const [a, b] = docs;
    // Exchange the two storage keys (a unique column: through a placeholder).
    const setKey = (id: string, key: string) =>
      writeDb(tampered.dbFile, 'update documents set storage_key = ? where id = ?', key, id);
    setKey(b!.id, 'placeholder');
    setKey(a!.id, b!.storage_key);
    setKey(b!.id, a!.storage_key);
    const swapped = await client.get(`/api/v1/documents/${a!.id}/content`);
    expect(swapped.status).toBe(500);
    expect(swapped.json).toEqual(integrityProblem);

    // Another person's data key under this person: every field of theirs fails.
    const other = world.persons.find((p) => p.tenant_id === bruno.tenant_id && p.id !== bruno.id)!;
    const [key] = queryDb<{ wrapped_key: Buffer; kek_version: number }>(
      tampered.dbFile,
      'select wrapped_key, kek_version from person_keys where person_id = ?',
      other.id,
    );
    writeDb(
      tampered.dbFile,
      'update person_keys set wrapped_key = ? where person_id = ?',
      key!.wrapped_key,
      bruno.id,
    );
    // A fresh server process: no data key cached in memory.
    await tampered.stop();
    tampered = await startServer({ dataDir: tampered.dataDir });
    const again = await new Client(tampered.baseUrl).login(usager2);
    const res = await again.get('/api/v1/persons');
    expect(res.status).toBe(500);
    expect(res.json).toEqual(integrityProblem);
  });
});
