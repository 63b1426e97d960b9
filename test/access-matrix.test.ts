import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type HttpResult } from './harness/client.js';
import {
  makeDataDir,
  ONE_BUSY_ACCOUNT,
  ROOT,
  startServer,
  type RunningServer,
} from './harness/server.js';
import { domainFingerprint, queryDb, readWorld, type World } from './harness/world.js';
import { Oracle, type Who } from './access-matrix/oracle.js';
import { listFiles, stopAndRemove } from './support/storage.js';
import { matrixChannelAddress, PROBES } from './access-matrix/probes.js';
import { INTEGRATION_ACTIONS } from '../src/policy/actions.js';
import type { EventTally, ProbeContext, Send } from './access-matrix/probe-context.js';

/**
 * THREATS.md T1, proven against a running server: every served route x every actor (each demo
 * account of both départements, the platform operator, an integration token of each département,
 * and nobody) x every object of the world it may not reach. A refusal must look exactly like a missing object, carry no byte of the
 * object, change nothing, and leave a security event behind.
 */

interface ServedRoute {
  method: string;
  url: string;
  policy: Record<string, unknown>;
}

let server: RunningServer;
let world: World;
let served: ServedRoute[];
/** One integration token per département, holding every permission an integration may hold. */
const integrations: Array<{ who: Who; token: string }> = [];

/** Creates a token as the département's admin and has the second admin approve it. */
async function integrationOf(tenant: '44' | '85', allowedRanges?: string[]) {
  const admin = await new Client(server.baseUrl).login(server.account('admin', tenant));
  const created = await admin.post('/api/v1/integration-tokens', {
    json: {
      name: `matrix ${tenant}`,
      permissions: [...INTEGRATION_ACTIONS],
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      ...(allowedRanges ? { allowedRanges } : {}),
    },
  });
  const { id, token } = created.json as { id: string; token: string };
  const second = await new Client(server.baseUrl).login(server.account('admin-2', tenant));
  const approved = await second.post(`/api/v1/integration-tokens/${id}/approve`);
  if (created.status !== 201 || approved.status !== 200) {
    throw new Error(`integration token of ${tenant}: ${created.text} ${approved.text}`);
  }
  const tenantId = queryDb<{ id: string }>(
    server.dbFile,
    'select id from tenants where code = ?',
    tenant,
  )[0]!.id;
  integrations.push({
    who: { name: `integration:${tenant}`, account: null, integration: { tenantId, tokenId: id } },
    token,
  });
}

beforeAll(async () => {
  // Each actor sends thousands of probes a minute: fair shares are tested on their own.
  server = await startServer({ env: ONE_BUSY_ACCOUNT });
  // The client comes from 127.0.0.1: one token bound to that range, one to any address.
  await integrationOf('44', ['127.0.0.0/8']);
  await integrationOf('85');
  // Alert channels in both départements, for the channel routes to be probed across tenants.
  for (const tenant of ['44', '85'] as const) {
    const admin = await new Client(server.baseUrl).login(server.account('admin', tenant));
    for (const json of [
      { url: 'https://127.0.0.1:9/matrix' },
      { kind: 'email', address: matrixChannelAddress(tenant) },
    ]) {
      const res = await admin.post('/api/v1/alert-channels', { json });
      if (res.status !== 201) throw new Error(`alert channel of ${tenant}: ${res.text}`);
    }
  }
  // A request to disable each département's DPO, waiting for its second admin: the inbox routes
  // are then probed with another département's pending request too.
  for (const tenant of ['44', '85'] as const) {
    const admin = await new Client(server.baseUrl).login(server.account('admin', tenant));
    const res = await admin.post(`/api/v1/accounts/${server.account('dpo', tenant).id}/disable`);
    if ((res.json as { status?: string })?.status !== 'pending')
      throw new Error(`disable request of ${tenant}: ${res.text}`);
  }
  world = readWorld(server.dbFile);
  // The routes the server really serves, as its own guard admitted them.
  const scratch = makeDataDir('cloison-routes-');
  try {
    const out = execFileSync(
      process.execPath,
      [path.join(ROOT, 'dist/src/main.js'), 'routes', '--json'],
      { env: { PATH: process.env.PATH ?? '', CLOISON_DATA_DIR: scratch, LOG_LEVEL: 'error' } },
    );
    served = JSON.parse(out.toString()) as ServedRoute[];
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
afterAll(() => stopAndRemove(server));

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

function eventCounts(dbFile: string): EventTally {
  const rows = queryDb<{ kind: string; n: number }>(
    dbFile,
    'select kind, count(*) as n from security_events group by kind',
  );
  const get = (k: string) => rows.find((r) => r.kind === k)?.n ?? 0;
  return {
    'access.denied': get('access.denied'),
    'access.missing': get('access.missing'),
    'access.forbidden': get('access.forbidden'),
    'access.unauthenticated': get('access.unauthenticated'),
  };
}

interface Stats {
  refused: number;
  gated: number;
  allowed: number;
  skipped: number;
}

describe('access matrix (T1)', () => {
  it('covers every route the server serves, and nothing else', () => {
    const servedKeys = served.map(key).sort();
    expect(servedKeys.length).toBeGreaterThan(15);
    expect(Object.keys(PROBES).sort()).toEqual(servedKeys);
  });

  it('refuses every foreign object to every actor exactly like a missing one', async () => {
    const fingerprintBefore = domainFingerprint(server.dbFile);
    const blobsBefore = listFiles(path.join(server.dataDir, 'blobs'));
    const eventsBefore = eventCounts(server.dbFile);
    const today = new Date().toISOString().slice(0, 10);
    const oracle = new Oracle(world, today);

    const failures: string[] = [];
    const expectedEvents: EventTally = {
      'access.denied': 0,
      'access.missing': 0,
      'access.forbidden': 0,
      'access.unauthenticated': 0,
    };
    const deniedTargets = new Set<string>();
    const perRoute = new Map<string, Stats>();

    const actors: Who[] = [
      { name: 'anonymous', account: null },
      ...world.accounts.map((a) => ({
        name: `${a.kind}:${a.role ?? ''}:${a.email}`,
        account: a,
      })),
      ...integrations.map((i) => i.who),
    ];

    const tallyGate = (res: HttpResult, n: number) => {
      if (res.status === 401) expectedEvents['access.unauthenticated'] += n;
      if (res.status === 403) expectedEvents['access.forbidden'] += n;
    };

    async function runActor(who: Who) {
      const client = new Client(server.baseUrl);
      const demo = who.account && server.accounts.find((d) => d.id === who.account?.id);
      if (who.account && !demo) throw new Error(`no credentials for ${who.name}`);
      if (demo) await client.login(demo);
      if (who.integration) {
        client.bearer = integrations.find((i) => i.who === who)!.token;
      }

      for (const [routeKey, probe] of Object.entries(PROBES)) {
        const stats: Stats = perRoute.get(routeKey) ?? {
          refused: 0,
          gated: 0,
          allowed: 0,
          skipped: 0,
        };
        perRoute.set(routeKey, stats);
        const fail = (label: string, message: string) =>
          failures.push(`${routeKey} | ${who.name} | ${label}: ${message}`);
        const noSecrets = (label: string, res: HttpResult, secrets: readonly string[]) => {
          for (const secret of secrets) {
            if (secret && res.text.includes(secret)) fail(label, `leaks "${secret}"`);
          }
        };
        const ctx: ProbeContext = {
          who,
          client,
          oracle,
          world,
          fail,
          noSecrets,
          credentials: () => ({ email: demo!.email, password: demo!.password }),
          readDb: <T>(sql: string, ...params: unknown[]) =>
            queryDb<T>(server.dbFile, sql, ...params),
          allowed: () => void stats.allowed++,
          skipped: () => void stats.skipped++,
          async refused(label, target, foreign: Send, missing: Send, secrets) {
            stats.refused++;
            const a = await foreign();
            const b = await missing();
            if (![401, 403, 404].includes(a.status)) {
              fail(label, `reached a foreign object: ${a.status} ${a.text.slice(0, 200)}`);
              return;
            }
            if (a.status !== b.status || a.text !== b.text) {
              fail(
                label,
                `differs from a missing object: ${a.status} ${a.text} / ${b.status} ${b.text}`,
              );
            }
            if (a.headers.get('content-type') !== b.headers.get('content-type')) {
              fail(label, 'content type differs from a missing object');
            }
            noSecrets(label, a, [target.id, ...secrets]);
            if (a.status === 404) {
              expectedEvents['access.denied']++;
              deniedTargets.add(`${target.type}:${target.id}`);
            } else tallyGate(a, 1);
            if (b.status === 404) expectedEvents['access.missing']++;
            else tallyGate(b, 1);
          },
          async gated(label: string, send: Send) {
            stats.gated++;
            const res = await send();
            if (![401, 403].includes(res.status)) {
              fail(label, `passed the gate: ${res.status} ${res.text.slice(0, 200)}`);
            } else if (!res.headers.get('content-type')?.startsWith('application/problem+json')) {
              fail(label, 'refusal is not a problem document');
            }
            tallyGate(res, 1);
          },
        };
        await probe(ctx);
      }
    }

    // A few actors at a time: the server sees concurrent sessions, as in real use.
    const queue = [...actors];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let who = queue.shift(); who; who = queue.shift()) await runActor(who);
      }),
    );

    expect(failures.slice(0, 40)).toEqual([]);

    // Refusals changed nothing: no domain row, no stored file.
    expect(domainFingerprint(server.dbFile)).toBe(fingerprintBefore);
    expect(listFiles(path.join(server.dataDir, 'blobs'))).toEqual(blobsBefore);

    // Each refusal left exactly one security event of its kind.
    const eventsAfter = eventCounts(server.dbFile);
    const delta = Object.fromEntries(
      Object.entries(eventsAfter).map(([k, v]) => [k, v - eventsBefore[k as keyof EventTally]]),
    );
    expect(delta).toEqual(expectedEvents);
    const recordedDenied = new Set(
      queryDb<{ object_type: string; object_id: string }>(
        server.dbFile,
        "select object_type, object_id from security_events where kind = 'access.denied'",
      ).map((r) => `${r.object_type}:${r.object_id}`),
    );
    expect([...deniedTargets].filter((t) => !recordedDenied.has(t))).toEqual([]);

    // The matrix really ran: every guarded route was attacked, reads were checked positively.
    for (const route of served) {
      const stats = perRoute.get(key(route));
      expect(stats, key(route)).toBeDefined();
      if (!('public' in route.policy)) {
        expect(stats!.refused + stats!.gated, `${key(route)} refused`).toBeGreaterThan(0);
      }
    }
    const total = [...perRoute.values()].reduce(
      (s, x) => ({
        refused: s.refused + x.refused,
        gated: s.gated + x.gated,
        allowed: s.allowed + x.allowed,
        skipped: s.skipped + x.skipped,
      }),
      { refused: 0, gated: 0, allowed: 0, skipped: 0 },
    );
    console.log(
      `access matrix: ${actors.length} actors, ${served.length} routes, ` +
        `${total.refused} foreign-object refusals, ${total.gated} gate refusals, ` +
        `${total.allowed} allowed reads checked, ${total.skipped} allowed writes not sent`,
    );
    expect(total.refused).toBeGreaterThan(1000);
    expect(total.allowed).toBeGreaterThan(100);
    // About 30 actors x every route x every object: 30 s alone, minutes on a shared two-core
    // machine running other suites (measured: 3 min at a load average of 13).
  }, 600_000);
});
