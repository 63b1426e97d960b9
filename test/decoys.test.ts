import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { runCli, startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { eventually, stopAndRemove } from './support/storage.js';
import {
  startWebhookReceiver,
  subscribeDepartements,
  type WebhookReceiver,
} from './support/webhook-receiver.js';

/**
 * Issue 5 items 4 and 9: each département has a decoy case that no listing, queue or search
 * shows, reachable by id like any case; any touch of it raises a critical alert.
 */

let server: RunningServer;
let world: World;
let hooks: WebhookReceiver;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  server = await startServer();
  world = readWorld(server.dbFile);
  await subscribeDepartements(server, hooks);
});
afterAll(async () => {
  await stopAndRemove(server);
  await hooks.close();
});

const tenantId = (code: string) => world.tenants.find((t) => t.code === code)!.id;
const decoyOf = (code: string) => world.decoys.find((d) => d.tenant_id === tenantId(code))!;
const settle = () => new Promise((r) => setTimeout(r, 1_500));

/** Everything of a decoy a response must never show where it is not asked for by id. */
function decoySecrets(code: string): string[] {
  const d = decoyOf(code);
  const c = world.cases.find((x) => x.id === d.case_id)!;
  const p = world.persons.find((x) => x.id === d.person_id)!;
  // A value another person of the world shares (the decoy's random birth date can fall on a
  // demo usager's) says nothing of the decoy: it is not one of its secrets.
  const others = world.persons.filter((x) => x.id !== p.id);
  const shared = new Set(others.flatMap((x) => [x.first_name, x.last_name, x.birth_date]));
  return [c.id, c.reference, p.id, p.first_name, p.last_name, p.birth_date, p.nir ?? ''].filter(
    (v) => !shared.has(v),
  );
}

describe('decoy cases', () => {
  it('exist once per département, a plausible person and case sealed like any other', () => {
    expect(world.decoys).toHaveLength(2);
    for (const code of ['44', '85']) {
      const d = decoyOf(code);
      const c = world.cases.find((x) => x.id === d.case_id)!;
      const p = world.persons.find((x) => x.id === d.person_id)!;
      expect(c.reference).toMatch(new RegExp(`^MDPH${code}-\\d{4}-\\d{6}$`));
      expect(c.status).toBe('recevable');
      expect(p.first_name.length).toBeGreaterThan(2);
      // Sex, year and month of birth, département: the shape of a real one.
      const [year, month] = p.birth_date.split('-');
      expect(p.nir).toMatch(new RegExp(`^[12]${year!.slice(2)}${month}${code}\\d{6}$`));
      expect(world.documents.some((x) => x.case_id === c.id)).toBe(true);
      const raw = queryDb<{ first_name_enc: Buffer }>(
        server.dbFile,
        'select first_name_enc from persons where id = ?',
        p.id,
      )[0]!;
      expect(raw.first_name_enc.includes(Buffer.from(p.first_name))).toBe(false);
    }
  });

  it('are in no list, queue or search of any account', async () => {
    const listers = server.accounts.filter(
      (a) =>
        a.kind === 'usager' ||
        ['accueil', 'instructeur', 'evaluateur', 'responsable', 'cdaph'].includes(a.role ?? ''),
    );
    expect(listers.length).toBeGreaterThan(15);
    for (const account of listers) {
      const client = await new Client(server.baseUrl).login(account);
      const secrets = decoySecrets(account.tenant!);
      const urls = ['/api/v1/cases?limit=200', '/api/v1/cases?status=recevable&limit=200'];
      if (account.kind === 'usager') urls.push('/api/v1/persons', '/api/v1/me/consultations');
      else if (account.role !== 'evaluateur' && account.role !== 'cdaph') {
        urls.push('/api/v1/mandates');
      }
      for (const url of urls) {
        const res = await client.get(url);
        expect(res.status, `${account.label} ${url}`).toBe(200);
        for (const s of secrets) expect(res.text, `${account.label} ${url}`).not.toContain(s);
      }
      if (['accueil', 'instructeur', 'responsable'].includes(account.role ?? '')) {
        const nir = world.persons.find((p) => p.id === decoyOf(account.tenant!).person_id)!.nir;
        const search = await client.post('/api/v1/persons/search', { json: { nir } });
        expect(search.status).toBe(200);
        expect((search.json as { items: unknown[] }).items).toEqual([]);
      }
    }
    // Listing names no decoy: nothing was raised.
    await settle();
    expect(hooks.received.filter((r) => r.alert.rule === 'decoy-touched')).toEqual([]);
  });

  it('open by id for staff allowed on them, without a marker, and raise a critical alert in seconds', async () => {
    const responsable = server.account('responsable');
    const client = await new Client(server.baseUrl).login(responsable);
    const started = Date.now();
    const res = await client.get(`/api/v1/cases/${decoyOf('44').case_id}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/decoy|leurre/i);
    expect(
      await eventually(
        () => hooks.alerts('44', 'decoy-touched').some((a) => a.subject === responsable.id),
        10_000,
      ),
    ).toBe(true);
    expect((Date.now() - started) / 1000).toBeLessThan(10);
    const alert = hooks.alerts('44', 'decoy-touched').find((a) => a.subject === responsable.id)!;
    expect(alert).toMatchObject({ severity: 'critical', tenant: tenantId('44'), count: 1 });
    const [evidence] = queryDb<{ entry: string }>(
      server.dbFile,
      'select entry from audit_events where chain = ? and seq = ?',
      tenantId('44'),
      alert.evidence[0],
    );
    expect(JSON.parse(evidence!.entry)).toMatchObject({
      action: 'case.read',
      objectId: decoyOf('44').case_id,
    });

    // Its documents too: the accueil downloading the form is another alert, about the accueil.
    const accueil = server.account('accueil');
    const desk = await new Client(server.baseUrl).login(accueil);
    const docs = await desk.get(`/api/v1/cases/${decoyOf('44').case_id}/documents`);
    const [doc] = (docs.json as { items: Array<{ id: string }> }).items;
    expect((await desk.get(`/api/v1/documents/${doc!.id}/content`)).status).toBe(200);
    expect(
      await eventually(() =>
        hooks.alerts('44', 'decoy-touched').some((a) => a.subject === accueil.id),
      ),
    ).toBe(true);
  });

  it('alert on refused attempts too, in the département of whoever tried', async () => {
    const instructeur = server.account('instructeur');
    const usager85 = server.account('usager', '85');
    const decoy = decoyOf('44').case_id;
    const outsider = await new Client(server.baseUrl).login(instructeur);
    const refused = await outsider.get(`/api/v1/cases/${decoy}`);
    const missing = await outsider.get('/api/v1/cases/00000000-0000-4000-8000-000000000001');
    expect(refused.status).toBe(404);
    expect(refused.text).toBe(missing.text);
    const foreign = await new Client(server.baseUrl).login(usager85);
    expect((await foreign.get(`/api/v1/cases/${decoy}`)).status).toBe(404);
    expect(
      await eventually(
        () =>
          hooks.alerts('44', 'decoy-touched').some((a) => a.subject === instructeur.id) &&
          hooks.alerts('85', 'decoy-touched').some((a) => a.subject === usager85.id),
      ),
    ).toBe(true);
  });

  it('erased, still alert; `cloison decoys seed` then gives the département a new one, once', async () => {
    // Erasing the decoy person is a touch too, and leaves tenant 85 without a decoy.
    const dpo = server.account('dpo', '85');
    const eraser = await new Client(server.baseUrl).login(dpo);
    const erased = await eraser.post(`/api/v1/persons/${decoyOf('85').person_id}/erasure`, {
      json: { reason: 'right-to-erasure' },
    });
    expect(erased.status, erased.text).toBe(201);
    expect(
      await eventually(() => hooks.alerts('85', 'decoy-touched').some((a) => a.subject === dpo.id)),
    ).toBe(true);

    const env = {
      CLOISON_DATA_DIR: server.dataDir,
      CLOISON_MASTER_KEY_FILE: path.join(server.dataDir, 'demo-master.key'),
      LOG_LEVEL: 'error',
    };
    // It writes the database: never beside a live server, which keeps its data directory.
    const refused = await runCli(['decoys', 'seed'], env);
    expect(refused.code, refused.output).toBe(75);
    expect(refused.output).toContain('is in use by another Cloison process');
    expect(readWorld(server.dbFile).decoys).toHaveLength(2);
    const dataDir = server.dataDir;
    await server.stop();
    const first = await runCli(['decoys', 'seed'], env);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('44: already has its decoy');
    expect(first.output).toContain('85: decoy case seeded');
    const second = await runCli(['decoys', 'seed'], env);
    expect(second.output).toContain('85: already has its decoy');
    server = await startServer({ dataDir });
    const after = readWorld(server.dbFile);
    // The erased one stays known (its ids still alert); the new one is a live case.
    const of85 = after.decoys.filter((d) => d.tenant_id === tenantId('85'));
    expect(of85).toHaveLength(2);
    const fresh = of85.find((d) => after.cases.some((c) => c.id === d.case_id))!;
    expect(fresh.case_id).not.toBe(decoyOf('85').case_id);
    // Sealed with the département's keys, readable through the API by whoever may read it.
    const responsable = await new Client(server.baseUrl).login(server.account('responsable', '85'));
    expect((await responsable.get(`/api/v1/cases/${fresh.case_id}`)).status).toBe(200);
    const list = await responsable.get('/api/v1/cases?limit=200');
    expect(list.text).not.toContain(fresh.case_id);
  });
});
