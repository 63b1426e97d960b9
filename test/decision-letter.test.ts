import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { pdfIsTagged, pdfText } from './support/pdf-text.js';
import { stopAndRemove } from './support/storage.js';
import { dayIn, decide, sessionInProgressFor } from './support/cdaph-session.js';

/**
 * The notification letter, end to end over HTTP: a case decided in its CDAPH session is notified,
 * the server generates the letter as a sealed `decision` document of the case, and the usager
 * downloads it; its text, read back by an independent PDF parser, names each right, its
 * decision, validity and motive, and the appeal route with its last day.
 */

let server: RunningServer;
let world: World;

beforeAll(async () => {
  server = await startServer();
  world = readWorld(server.dbFile);
});
afterAll(() => stopAndRemove(server));

const login = (label: string) => new Client(server.baseUrl).login(server.account(label, '44'));

const frenchLong = (day: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' })
    .format(new Date(`${day}T00:00:00Z`))
    .replace(/^1 /, '1er ');

describe('the decision letter', () => {
  it('is generated at notification, stored sealed with the case, and read by the usager', async () => {
    const owner = server.account('usager-2', '44');
    const person = world.persons.find((p) => p.account_id === owner.id)!;
    const awaiting = world.cases.find(
      (c) => c.person_id === person.id && c.status === 'attente_cdaph',
    )!;
    const rights = world.caseRights
      .filter((r) => r.case_id === awaiting.id)
      .map((r) => r.right_code);
    expect(rights.length).toBeGreaterThanOrEqual(2);

    const responsable = await login('responsable');
    await sessionInProgressFor(
      responsable,
      server.dbFile,
      awaiting.id,
      server.account('cdaph', '44').id,
    );
    const [granted, refused] = rights as [string, string];
    expect((await decide(responsable, awaiting.id, granted, 'accord')).status).toBe(200);
    expect((await decide(responsable, awaiting.id, refused, 'rejet')).status).toBe(200);
    for (const right of rights.slice(2)) {
      expect((await decide(responsable, awaiting.id, right, 'rejet')).status).toBe(200);
    }
    const before = queryDb<{ n: number }>(
      server.dbFile,
      "select count(*) as n from documents where case_id = ? and category = 'decision'",
      awaiting.id,
    )[0]!.n;
    for (const to of ['decide', 'notifie']) {
      const moved = await responsable.post(`/api/v1/cases/${awaiting.id}/transitions`, {
        json: { to },
      });
      expect(moved.status, moved.text).toBe(200);
    }

    const usager = await new Client(server.baseUrl).login(owner);
    const docs = (await usager.get(`/api/v1/cases/${awaiting.id}/documents`)).json as {
      items: { id: string; category: string; originalName: string }[];
    };
    const letters = docs.items.filter((d) => d.category === 'decision');
    expect(letters).toHaveLength(before + 1);
    const letter = letters.find((d) => d.originalName.startsWith('notification-decision-'))!;
    expect(letter.originalName).toBe(`notification-decision-${awaiting.reference}.pdf`);
    const download = await usager.get(`/api/v1/documents/${letter.id}/content`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);

    const text = await pdfText(download.bytes);
    expect(await pdfIsTagged(download.bytes)).toBe(true);
    const today = dayIn(0);
    expect(text).toContain('Notification de décision de la CDAPH');
    expect(text).toContain(awaiting.reference);
    expect(text).toContain('Décision : accord.');
    expect(text).toContain('Décision : rejet.');
    expect(text).toContain(`Motif : Décision rejet pour ${refused}.`);
    expect(text).toContain(`du ${frenchLong(today)} au`);
    expect(text).toContain('Voies et délais de recours');
    const detail = (await usager.get(`/api/v1/cases/${awaiting.id}`)).json as {
      deadlines: { appealDeadline: string };
    };
    expect(text).toContain(`au plus tard le ${frenchLong(detail.deadlines.appealDeadline)}`);

    // Sealed at rest: the stored blob is not the PDF the usager downloaded.
    const [stored] = queryDb<{ storage_key: string }>(
      server.dbFile,
      'select storage_key from documents where id = ?',
      letter.id,
    );
    expect(stored!.storage_key).not.toContain(awaiting.reference);

    // Another usager reaches it exactly as a missing document.
    const stranger = await new Client(server.baseUrl).login(server.account('usager', '44'));
    const foreign = await stranger.get(`/api/v1/documents/${letter.id}/content`);
    const missing = await stranger.get(`/api/v1/documents/${crypto.randomUUID()}/content`);
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(missing.text);
  });
});
