import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { waitForJobRun } from './support/job-runs.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { problemSlug } from './support/problem.js';
import { stopAndRemove } from './support/storage.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';

/**
 * The deadlines the server keeps, by moving its clock across them (restarts on the same data
 * directory with CLOISON_CLOCK_OFFSET): the missing-pieces reminder at J-7 and the lapse the day
 * after J, done by the server itself; the CDAPH's 4 months shown and flagged in the queue; the
 * 2-month appeal window closed after its last day. Staff dormancy is pushed out of the way so
 * that agents still sign in a hundred days later.
 */

const NO_DORMANCY = {
  CLOISON_DORMANT_DAYS: '3650',
  NODE_ENV: 'test',
  CLOISON_METRICS_PORT: '0',
};
let server: RunningServer;
let world: World;
let mailbox: Mailbox;

const today = (offsetDays = 0) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function restartAt(days: number): Promise<void> {
  const dataDir = server.dataDir;
  await server.stop();
  server = await startServer({
    dataDir,
    env: {
      ...NO_DORMANCY,
      CLOISON_SMTP_URL: mailbox.url,
      ...(days === 0 ? {} : { CLOISON_CLOCK_OFFSET: `${days}d` }),
    },
  });
  // Before the job's first run, "not reminded yet" would prove nothing.
  await waitForJobRun(server, 'pieces-deadline');
}

function login(label: string): Promise<Client> {
  return new Client(server.baseUrl).login(server.account(label, '44'));
}

function caseRow(id: string) {
  return queryDb<{ status: string; pieces_reminded_on: string | null }>(
    server.dbFile,
    'select status, pieces_reminded_on from cases where id = ?',
    id,
  )[0]!;
}

function auditCount(action: string, caseId: string): number {
  return queryDb<{ n: number }>(
    server.dbFile,
    "select count(*) as n from audit_events where json_extract(entry, '$.action') = ? " +
      "and json_extract(entry, '$.objectId') = ? and json_extract(entry, '$.actorKind') = 'system'",
    action,
    caseId,
  )[0]!.n;
}

/** A seeded case of tenant 44 in this status whose person has an account of their own. */
function seeded(status: string): string {
  const tenant = world.tenants.find((t) => t.code === '44')!.id;
  const decoys = new Set(world.decoys.map((d) => d.case_id));
  const withAccount = new Set(world.persons.filter((p) => p.account_id).map((p) => p.id));
  const found = world.cases.find(
    (c) =>
      c.tenant_id === tenant &&
      c.status === status &&
      !decoys.has(c.id) &&
      withAccount.has(c.person_id),
  );
  if (!found) throw new Error(`no seeded ${status} case`);
  return found.id;
}

interface Deadlines {
  piecesOverdue: boolean;
  instructionDeadline: string | null;
  instructionOverdue: boolean;
  appealDeadline: string | null;
  appealOpen: boolean;
}

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({ env: { ...NO_DORMANCY, CLOISON_SMTP_URL: mailbox.url } });
  // Before the job's first run, "not reminded yet" would prove nothing.
  await waitForJobRun(server, 'pieces-deadline');
  world = readWorld(server.dbFile);
});
afterAll(async () => {
  await stopAndRemove(server);
  await mailbox?.close();
});

/** Waits for the next mail to `to` with this subject after `since` messages. */
async function mailWithSubject(to: string, subject: string, since: number) {
  for (let from = since; ;) {
    const mail = await mailbox.waitFor(to, { since: from });
    if (mail.subject === subject) return mail;
    from = mailbox.messages.indexOf(mail) + 1;
  }
}

describe('deadlines the server keeps', () => {
  let waiting = '';
  let recevable = '';
  let notified = '';
  let notifiedOwner = '';

  it('shows the CDAPH’s 4 months from the complete date and the appeal window from the notification', async () => {
    recevable = seeded('recevable');
    notified = seeded('notifie');
    const responsable = await login('responsable');
    const r = (await responsable.get(`/api/v1/cases/${recevable}`)).json as {
      deadlines: Deadlines;
    };
    const completeOn = queryDb<{ complete_on: string }>(
      server.dbFile,
      'select complete_on from cases where id = ?',
      recevable,
    )[0]!.complete_on;
    expect(r.deadlines.instructionDeadline! > completeOn).toBe(true);
    expect(r.deadlines).toMatchObject({ instructionOverdue: false, appealDeadline: null });

    const personOf = world.cases.find((c) => c.id === notified)!.person_id;
    const ownerId = world.persons.find((p) => p.id === personOf)!.account_id;
    notifiedOwner = server.accounts.find((a) => a.id === ownerId)!.label;
    const usager = await login(notifiedOwner);
    const n = (await usager.get(`/api/v1/cases/${notified}`)).json as { deadlines: Deadlines };
    expect(n.deadlines.appealOpen).toBe(true);
    expect(n.deadlines.appealDeadline! >= today()).toBe(true);

    // The queue filters on it: nothing is past its 4 months yet.
    const overdue = await responsable.get('/api/v1/cases?overdue=true&limit=200');
    expect((overdue.json as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(
      recevable,
    );
  });

  it('reminds once at J-7 and lapses the case the day after J, as the server’s own act', async () => {
    // A request of the usager's own, filed today, then missing its pieces.
    const usager = await login('usager');
    const self = (
      (await usager.get('/api/v1/persons')).json as { items: { id: string; relation: string }[] }
    ).items.find((p) => p.relation === 'self')!;
    waiting = (
      (await usager.post('/api/v1/cases', { json: { personId: self.id, rights: ['CMI'] } }))
        .json as { id: string }
    ).id;
    const filed = await usager.post(`/api/v1/cases/${waiting}/transitions`, {
      json: { to: 'depose' },
    });
    expect(filed.status, filed.text).toBe(200);
    const accueil = await login('accueil');
    const asked = await accueil.post(`/api/v1/cases/${waiting}/transitions`, {
      json: { to: 'attente_pieces', piecesDeadline: today(10) },
    });
    expect(asked.status, asked.text).toBe(200);

    await restartAt(2);
    expect(caseRow(waiting)).toMatchObject({ status: 'attente_pieces', pieces_reminded_on: null });

    const party = server.account('usager', '44').email;
    const beforeReminder = mailbox.messages.length;
    await restartAt(3);
    const reminder = await mailWithSubject(
      party,
      'Votre dossier attend des pièces : la date limite approche',
      beforeReminder,
    );
    const reference = queryDb<{ reference: string }>(
      server.dbFile,
      'select reference from cases where id = ?',
      waiting,
    )[0]!.reference;
    expect(reminder.text).not.toContain(reference);
    expect(caseRow(waiting)).toMatchObject({
      status: 'attente_pieces',
      pieces_reminded_on: today(3),
    });
    expect(auditCount('case.pieces-reminder', waiting)).toBe(1);

    await restartAt(10);
    expect(caseRow(waiting).status).toBe('attente_pieces');
    expect(auditCount('case.pieces-reminder', waiting)).toBe(1);

    const beforeLapse = mailbox.messages.length;
    await restartAt(11);
    expect(caseRow(waiting).status).toBe('caduc');
    await mailWithSubject(party, 'Votre dossier a été clos sans décision', beforeLapse);
    const last = queryDb<{
      actor_account_id: string | null;
      by_job: string | null;
      to_status: string;
    }>(
      server.dbFile,
      'select actor_account_id, by_job, to_status from case_transitions where case_id = ? order by id desc limit 1',
      waiting,
    )[0];
    expect(last).toEqual({ actor_account_id: null, by_job: 'pieces-deadline', to_status: 'caduc' });
    expect(auditCount('case.lapse', waiting)).toBe(1);
  });

  it('flags the case past its 4 months in the queue and refuses an appeal after its window', async () => {
    await restartAt(100);
    const responsable = await login('responsable');
    const r = (await responsable.get(`/api/v1/cases/${recevable}`)).json as {
      deadlines: Deadlines;
    };
    expect(r.deadlines.instructionOverdue).toBe(true);
    const overdue = await responsable.get('/api/v1/cases?overdue=true&limit=200');
    const items = (overdue.json as { items: { id: string; deadlines: Deadlines }[] }).items;
    expect(items.map((i) => i.id)).toContain(recevable);
    for (const item of items) {
      expect(item.deadlines.instructionOverdue || item.deadlines.piecesOverdue, item.id).toBe(true);
    }

    const usager = await login(notifiedOwner);
    const n = (await usager.get(`/api/v1/cases/${notified}`)).json as { deadlines: Deadlines };
    expect(n.deadlines.appealOpen).toBe(false);
    const late = await usager.post(`/api/v1/cases/${notified}/transitions`, {
      json: { to: 'recours' },
    });
    expect(late.status, late.text).toBe(409);
    expect(problemSlug(late)).toBe('transition-guard');
    expect((late.json as { detail: string }).detail).toContain(n.deadlines.appealDeadline!);
    expect(caseRow(notified).status).toBe('notifie');
  });
});
