/**
 * The agents' queue (GET /api/v1/cases) with its narrowings: assignee, team, overdue pieces
 * deadline, sort. Each narrows inside the actor's scope and never widens it; bad values are a
 * 400 problem. Over real HTTP against the real server and its demo world.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { readWorld, type World } from './harness/world.js';
import { waitForJobRun } from './support/job-runs.js';
import { stopAndRemove } from './support/storage.js';

interface Item {
  id: string;
  reference: string;
  status: string;
  team: string | null;
  piecesDeadline: string | null;
  rightCodes: string[];
}

let server: RunningServer;
let world: World;
const clients = new Map<string, Client>();
let overdueCaseId: string;

async function as(label: string): Promise<Client> {
  let client = clients.get(label);
  if (!client) {
    client = await new Client(server.baseUrl).login(server.account(label, '44'));
    clients.set(label, client);
  }
  return client;
}

async function list(label: string, query = ''): Promise<Item[]> {
  const res = await (await as(label)).get(`/api/v1/cases?limit=200${query}`);
  expect(res.status, res.text).toBe(200);
  return (res.json as { items: Item[] }).items;
}

const ids = (items: Item[]) => items.map((i) => i.id).sort();

/**
 * The demo cases of tenant 44 (decoy excluded) matching a predicate, as an agent who opened no
 * draft sees them: a draft reaches the agents only once submitted.
 */
function expected(predicate: (c: World['cases'][number]) => boolean): string[] {
  const tenant = world.tenants.find((t) => t.code === '44')!.id;
  const decoys = new Set(world.decoys.map((d) => d.case_id));
  return world.cases
    .filter(
      (c) =>
        c.tenant_id === tenant && c.status !== 'brouillon' && !decoys.has(c.id) && predicate(c),
    )
    .map((c) => c.id)
    .sort();
}

function expectProblem(res: HttpResult, status: number): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
}

beforeAll(async () => {
  server = await startServer({ env: { CLOISON_METRICS_PORT: '0' } });
  await waitForJobRun(server, 'pieces-deadline');
  world = readWorld(server.dbFile);
  // One case awaiting pieces past its deadline: the API refuses a past deadline, so the test
  // writes it as time passing would have. Nothing reached it since, so the deadline job would
  // lapse it: the test writes after the job's start-time run, and the next is an hour away.
  const tenant = world.tenants.find((t) => t.code === '44')!.id;
  const decoys = new Set(world.decoys.map((d) => d.case_id));
  const recevable = world.cases.find(
    (c) => c.tenant_id === tenant && c.status === 'recevable' && !decoys.has(c.id),
  )!;
  overdueCaseId = recevable.id;
  const db = new Database(server.dbFile, { fileMustExist: true, timeout: 5_000 });
  try {
    db.prepare(
      "update cases set status = 'attente_pieces', pieces_deadline = '2020-01-31' where id = ?",
    ).run(overdueCaseId);
    db.prepare(
      `insert into case_transitions (tenant_id, case_id, from_status, to_status, actor_account_id, at)
       values (?, ?, 'depose', 'attente_pieces', ?, '2020-01-01T00:00:00.000Z')`,
    ).run(tenant, overdueCaseId, server.account('accueil', '44').id);
  } finally {
    db.close();
  }
  world = readWorld(server.dbFile);
});

afterAll(() => stopAndRemove(server));

describe('the queue filters of GET /api/v1/cases', () => {
  it('lists the requested rights of each case', async () => {
    const items = await list('responsable');
    const first = world.cases.find((c) => c.id === items[0]!.id)!;
    const codes = world.caseRights
      .filter((r) => r.case_id === first.id)
      .map((r) => r.right_code)
      .sort();
    expect(items[0]!.rightCodes).toEqual(codes);
  });

  it('assignee=me keeps the cases assigned to me by name', async () => {
    const instructeur = server.account('instructeur', '44');
    expect(ids(await list('instructeur', '&assignee=me'))).toEqual(
      expected((c) => c.instructeur_id === instructeur.id),
    );
    const evaluateur = server.account('evaluateur', '44');
    expect(ids(await list('evaluateur', '&assignee=me'))).toEqual(
      expected((c) => c.evaluateur_id === evaluateur.id),
    );
    // Nobody assigned the responsable anything: the filter narrows their whole-tenant scope.
    expect(await list('responsable', '&assignee=me')).toEqual([]);
  });

  it('assignee=none keeps the cases nobody is named on, within the scope', async () => {
    const all = await list('responsable');
    const none = await list('responsable', '&assignee=none');
    expect(ids(none)).toEqual(
      expected((c) => c.instructeur_id === null && c.evaluateur_id === null),
    );
    expect(none.length).toBeLessThan(all.length);
    // The instructeur of the north team sees only their team's unassigned ones.
    expect(ids(await list('instructeur', '&assignee=none'))).toEqual(
      expected(
        (c) => c.team === 'equipe-nord' && c.instructeur_id === null && c.evaluateur_id === null,
      ),
    );
  });

  it('team narrows to one team and never shows a case outside the scope', async () => {
    expect(ids(await list('responsable', '&team=equipe-nord'))).toEqual(
      expected((c) => c.team === 'equipe-nord'),
    );
    const sud = server.account('instructeur-sud', '44');
    expect(await list('instructeur-sud', '&team=equipe-nord')).toEqual([]);
    expect(ids(await list('instructeur-sud', '&team=equipe-sud'))).toEqual(
      expected((c) => c.team === 'equipe-sud' || c.instructeur_id === sud.id),
    );
    // The évaluateur's scope is their own cases; a team does not add the others.
    const evaluateur = server.account('evaluateur', '44');
    expect(ids(await list('evaluateur', '&team=equipe-nord'))).toEqual(
      expected((c) => c.team === 'equipe-nord' && c.evaluateur_id === evaluateur.id),
    );
  });

  it('overdue=true keeps the cases awaiting pieces past their deadline', async () => {
    expect(ids(await list('responsable', '&overdue=true'))).toEqual([overdueCaseId]);
    expect(ids(await list('accueil', '&overdue=true&status=attente_pieces'))).toEqual([
      overdueCaseId,
    ]);
    expect((await list('responsable', '&overdue=false')).length).toBe(
      (await list('responsable')).length,
    );
    // The instructeur of the north team does not reach the southern overdue case.
    expect(await list('instructeur', '&overdue=true')).toEqual([]);
  });

  it('sort=deadline puts the nearest pieces deadline first, cases without one last', async () => {
    const items = await list('responsable', '&sort=deadline');
    const deadlines = items.map((i) => i.piecesDeadline);
    const dated = deadlines.filter((d): d is string => d !== null);
    expect(dated.length).toBeGreaterThanOrEqual(2);
    expect(deadlines.slice(0, dated.length)).toEqual([...dated].sort());
    expect(items[0]!.id).toBe(overdueCaseId);
    expect(ids(items)).toEqual(ids(await list('responsable', '&sort=updated')));
  });

  it('refuses values it does not know with a 400 problem', async () => {
    const client = await as('responsable');
    for (const query of [
      'assignee=someone',
      'assignee=',
      'sort=name',
      'overdue=peut-etre',
      'team=',
      `team=${'x'.repeat(41)}`,
      'team=Equipe-Nord',
      'team=%27%20OR%201%3D1',
      'owner=me',
    ]) {
      const res = await client.get(`/api/v1/cases?${query}`);
      expect(res.status, query).toBe(400);
      expectProblem(res, 400);
    }
  });
});
