import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { readWorld, type World } from './harness/world.js';
import { problemSlug } from './support/problem.js';
import { stopAndRemove } from './support/storage.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { writeDb } from './support/writable-db.js';
import { queryDb } from './harness/world.js';
import { waitForJobRun } from './support/job-runs.js';

/**
 * Renewal requests over HTTP: a decided case's granted rights asked for again in a new draft of
 * the same person, pre-filled from it; one at a time; by whoever files for the person only.
 */

let server: RunningServer;
let world: World;
let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({ env: { CLOISON_SMTP_URL: mailbox.url, CLOISON_METRICS_PORT: '0' } });
  world = readWorld(server.dbFile);
});
afterAll(async () => {
  await stopAndRemove(server);
  await mailbox?.close();
});

const inDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Restarts the server on its data directory and waits for the renewal job's first run. */
async function restart(): Promise<void> {
  const dataDir = server.dataDir;
  await server.stop();
  server = await startServer({
    dataDir,
    env: { CLOISON_SMTP_URL: mailbox.url, CLOISON_METRICS_PORT: '0' },
  });
  await waitForJobRun(server, 'renewal-reminder');
}

function caseOf(owner: string, status: string): string {
  const accountId = server.account(owner, '44').id;
  const person = world.persons.find((p) => p.account_id === accountId);
  const found = world.cases.find((c) => c.person_id === person?.id && c.status === status);
  if (!found) throw new Error(`no seeded ${status} case of ${owner}`);
  return found.id;
}

interface Detail {
  id: string;
  status: string;
  personId: string;
  renewsCaseId: string | null;
  summary: string | null;
  rights: { code: string; decision: string | null }[];
}

describe('renewal reminders', () => {
  it('tell the person once, some months before a granted right ends, with nothing personal', async () => {
    const notified = caseOf('usager', 'notifie');
    // Time passing, written as it would have been: the granted right now ends in five months.
    writeDb(
      server.dbFile,
      "update case_rights set valid_until = ? where case_id = ? and decision in ('accord', 'accord_partiel')",
      inDays(150),
      notified,
    );
    const to = server.account('usager', '44').email;
    const since = mailbox.messages.length;
    await restart();
    const mail = await mailbox.waitFor(to, { since });
    expect(mail.subject).toBe('Pensez à votre demande de renouvellement');
    expect(mail.text).toContain(inDays(150).split('-').reverse().join('/'));
    for (const code of ['CMI', 'RQTH', 'AAH'])
      expect(mail.text).not.toMatch(new RegExp(`\\b${code}\\b`));
    const reminded = queryDb<{ renewal_reminded_on: string | null }>(
      server.dbFile,
      "select renewal_reminded_on from case_rights where case_id = ? and decision = 'accord'",
      notified,
    );
    expect(reminded.every((r) => r.renewal_reminded_on !== null)).toBe(true);

    // Once: another run sends nothing more.
    const after = mailbox.messages.length;
    await restart();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(
      mailbox.messages
        .slice(after)
        .filter((m) => m.subject === 'Pensez à votre demande de renouvellement'),
    ).toEqual([]);
  });
});

describe('renewal requests', () => {
  it('opens a draft asking again for the granted rights only, with the situation as written', async () => {
    const notified = caseOf('usager', 'notifie');
    const usager = await new Client(server.baseUrl).login(server.account('usager', '44'));
    const previous = (await usager.get(`/api/v1/cases/${notified}`)).json as Detail;
    const granted = previous.rights
      .filter((r) => r.decision === 'accord' || r.decision === 'accord_partiel')
      .map((r) => r.code);
    expect(granted.length).toBeGreaterThan(0);
    expect(granted.length).toBeLessThan(previous.rights.length);

    const renewed = await usager.post(`/api/v1/cases/${notified}/renewal`);
    expect(renewed.status, renewed.text).toBe(201);
    const draft = renewed.json as Detail;
    expect(draft).toMatchObject({
      status: 'brouillon',
      personId: previous.personId,
      renewsCaseId: notified,
      summary: previous.summary,
    });
    expect(draft.rights.map((r) => r.code).sort()).toEqual([...granted].sort());
    expect(draft.rights.every((r) => r.decision === null)).toBe(true);

    // One at a time: a second one is refused while this one is in progress.
    const again = await usager.post(`/api/v1/cases/${notified}/renewal`);
    expect(again.status).toBe(409);
    expect(problemSlug(again)).toBe('renewal-exists');
  });

  it('refuses a case that is not decided yet, and answers another usager as for a missing case', async () => {
    const usager = await new Client(server.baseUrl).login(server.account('usager', '44'));
    const pending = caseOf('usager', 'evaluation');
    const early = await usager.post(`/api/v1/cases/${pending}/renewal`);
    expect(early.status).toBe(409);
    expect(problemSlug(early)).toBe('not-renewable');

    const stranger = await new Client(server.baseUrl).login(server.account('usager-2', '44'));
    const notified = caseOf('usager', 'notifie');
    const foreign = await stranger.post(`/api/v1/cases/${notified}/renewal`);
    const missing = await stranger.post(`/api/v1/cases/${crypto.randomUUID()}/renewal`);
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(missing.text);
    const instructeur = await new Client(server.baseUrl).login(server.account('instructeur', '44'));
    expect((await instructeur.post(`/api/v1/cases/${notified}/renewal`)).status).toBe(403);
  });
});
