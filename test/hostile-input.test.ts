import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, type HttpResult, type RequestOptions } from './harness/client.js';
import { ONE_BUSY_ACCOUNT, startServer, type RunningServer } from './harness/server.js';
import { domainFingerprint, queryDb, readWorld } from './harness/world.js';
import { apiRoutes } from '../src/routes.js';
import { ROLE_GATES, type Action } from '../src/policy/actions.js';
import { samplePdf } from '../src/modules/documents/sample-files.js';
import { MULTIPART_TYPE, filePart, multipartBody } from './support/multipart.js';
import { opKey, operationsOf, urlOf, type Operation } from './support/openapi.js';
import { problemIssues } from './support/problem.js';
import { HOSTILE_STRINGS, mutants, validArb, type Hints } from './support/schema-fuzz.js';
import { listFiles, stopAndRemove, storageKeys } from './support/storage.js';

// Fixed seed and bounded runs: the same requests on every run, well under 30 s.
const SEED = 20_250_117;
const RANDOM_RUNS = 12;

type ActorName =
  | 'responsable'
  | 'usager'
  | 'dpo'
  | 'admin'
  | 'instructeur'
  | 'accueil'
  | 'operateur'
  | 'anonymous';

let server: RunningServer;
let ops: Operation[];
let clients: Record<ActorName, Client>;
/** Existing objects of tenant 44 that both signed-in actors reach, for the path parameters. */
let base: Record<string, string>;
let hints: Hints;

const MULTIPART_OPS = new Set(
  apiRoutes
    .filter((r) => r.multipart)
    .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`),
);

beforeAll(async () => {
  // Thousands of hostile requests a minute from a few accounts: fair shares are tested on their own.
  server = await startServer({ env: ONE_BUSY_ACCOUNT });
  const anonymous = new Client(server.baseUrl);
  const doc = await anonymous.get('/api/openapi.json');
  ops = operationsOf(doc.json);
  clients = {
    anonymous,
    responsable: await new Client(server.baseUrl).login(server.account('responsable')),
    instructeur: await new Client(server.baseUrl).login(server.account('instructeur')),
    accueil: await new Client(server.baseUrl).login(server.account('accueil')),
    usager: await new Client(server.baseUrl).login(server.account('usager')),
    dpo: await new Client(server.baseUrl).login(server.account('dpo')),
    admin: await new Client(server.baseUrl).login(server.account('admin')),
    operateur: await new Client(server.baseUrl).login(server.account('operateur', null)),
  };
  // A token of tenant 44 (pending: never used), for the token routes' path parameter.
  const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const created = await clients.admin.post('/api/v1/integration-tokens', {
    json: { name: 'hostile input', permissions: ['case.read'], expiresAt },
  });
  const tokenId = (created.json as { id: string }).id;
  const world = readWorld(server.dbFile);
  const usager = server.account('usager');
  const person = world.persons.find((p) => p.account_id === usager.id)!;
  const draft = world.cases.find((c) => c.person_id === person.id && c.status === 'brouillon')!;
  const tenant = world.tenants.find((t) => t.code === '44')!;
  base = {
    caseId: draft.id,
    documentId: world.documents.find((d) => d.case_id === draft.id)!.id,
    mandateId: world.mandates.find((m) => m.tenant_id === tenant.id)!.id,
    right: 'RQTH',
    personId: world.persons.find((p) => p.account_id === server.account('usager-2').id)!.id,
    accountId: server.account('usager-2').id,
    tokenId,
    // The demo's grants are all decided already; no review item exists in the demo.
    requestId: world.roleGrants.find((g) => g.tenant_id === tenant.id)!.id,
    itemId: '00000000-0000-4000-8000-000000000001',
    provider: 'franceconnect',
    alertId: '00000000-0000-4000-8000-000000000002',
    grantId: '00000000-0000-4000-8000-000000000003',
    channelId: '00000000-0000-4000-8000-000000000004',
    // The demo's export instruction of 44, pending: an approval that slipped through would reach it.
    instructionId: world.exportInstructions.find((i) => i.tenant_id === tenant.id)!.id,
    // The demo's session planned today in 44: a body that slipped through would reach it.
    sessionId: world.cdaphSessions.find((x) => x.tenant_id === tenant.id && x.status === 'planned')!
      .id,
    // A rule the DPO may change, the public schedule's département, a certificate that is none.
    kind: 'draft',
    code: '44',
    certificateId: '00000000-0000-4000-8000-000000000005',
  };
  // Real ids where the schema wants one, so a body that slipped through would reach real rows.
  const ids: Record<string, string> = {
    personId: person.id,
    instructeurId: server.account('instructeur').id,
    evaluateurId: server.account('evaluateur').id,
    email: usager.email,
    // A real expiry and range, so a token body is wrong only where a test makes it wrong.
    expiresAt,
    allowedRanges: '10.0.0.0/8',
    // Working hours that would pass, so a settings body is wrong only where a test makes it so.
    timeZone: 'Europe/Paris',
    start: '08:00',
    end: '18:00',
    // An export's recipient key and a manifest hash of the right shape: a body is then wrong
    // only where a test makes it wrong.
    ageRecipient: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
    manifestSha256: 'c'.repeat(64),
    receipt: 'e'.repeat(32),
    // A passkey of another account: a body that slipped through would reach a real row.
    passkeyId: queryDb<{ id: string }>(server.dbFile, 'select id from passkeys limit 1')[0]!.id,
  };
  hints = (key) => (ids[key] ? fc.constant(ids[key]) : undefined);
});
afterAll(() => stopAndRemove(server));

/** The actors whose role gate lets them reach validation of the operation. */
function actorsFor(op: Operation): ActorName[] {
  if (op.policy === 'public') return ['anonymous'];
  if (op.policy === 'authenticated') return ['responsable', 'usager'];
  const allowed: readonly string[] = ROLE_GATES[op.policy as Action];
  const actors = (['responsable', 'usager', 'dpo', 'admin', 'operateur'] as const).filter((a) =>
    allowed.includes(a),
  );
  // The instructeur or the accueil only where no one else passes the gate (break-glass, paper
  // filing), to keep it short.
  if (actors.length > 0) return actors;
  if (allowed.includes('instructeur')) return ['instructeur'];
  return allowed.includes('accueil') ? ['accueil'] : [];
}

/** A schema-valid body (or upload) for the operation, so that only the hostile part is wrong. */
function validRequest(op: Operation): RequestOptions {
  if (MULTIPART_OPS.has(opKey(op))) {
    return {
      body: multipartBody([filePart('ok.pdf', samplePdf('fuzz'))]),
      headers: { 'content-type': MULTIPART_TYPE },
    };
  }
  if (!op.body) return {};
  return { json: fc.sample(validArb(op.body, hints), { seed: SEED, numRuns: 1 })[0] };
}

/**
 * Sends one hostile request and returns what went wrong, if anything: a non-4xx status, a body
 * that is not a problem or leaks internals, or any change to the domain tables.
 */
/**
 * The domain's fingerprint after the previous attack of a run: nothing else writes the domain
 * tables between two attacks, so it is the next one's "before", read once instead of twice.
 */
let lastFingerprint: string | null = null;
beforeEach(() => {
  lastFingerprint = null;
});

async function attack(label: string, send: () => Promise<HttpResult>): Promise<string | null> {
  const before = lastFingerprint ?? domainFingerprint(server.dbFile);
  const res = await send();
  const issues = problemIssues(res);
  const after = domainFingerprint(server.dbFile);
  lastFingerprint = after;
  if (after !== before) issues.push('DATABASE CHANGED');
  return issues.length === 0 ? null : `${label}: ${issues.join('; ')} | ${res.text.slice(0, 160)}`;
}

/** Runs fn for every operation and actor that reaches validation, collecting failures. */
async function forEachTarget(
  filter: (op: Operation) => boolean,
  fn: (op: Operation, actor: ActorName, client: Client) => Promise<Array<string | null>>,
): Promise<{ failures: string[]; attempts: number }> {
  const failures: string[] = [];
  let attempts = 0;
  // Whatever the tests did before this run is read afresh.
  lastFingerprint = null;
  for (const op of ops.filter(filter)) {
    for (const actor of actorsFor(op)) {
      const results = await fn(op, actor, clients[actor]);
      attempts += results.length;
      failures.push(...results.filter((r): r is string => r !== null));
    }
  }
  return { failures, attempts };
}

describe('the OpenAPI document', () => {
  it('describes operations this suite can attack, every body closed to extra properties', () => {
    expect(ops.length).toBeGreaterThanOrEqual(apiRoutes.length);
    for (const op of ops) {
      for (const p of op.pathParams) expect(base[p.name], `${opKey(op)} ${p.name}`).toBeDefined();
      if (op.body) expect(op.body.additionalProperties, opKey(op)).toBe(false);
      if (op.query.length > 0 || op.body) {
        expect(actorsFor(op).length, `${opKey(op)} is reachable`).toBeGreaterThan(0);
      }
    }
    expect(ops.filter((op) => op.body).length).toBeGreaterThanOrEqual(8);
  });
});

// Every operation × every actor × every corruption: minutes on a busy machine, and growing.
/** Whether a string schema with a pattern admits the value (length and pattern). */
function admitsString(
  schema: { pattern?: string; minLength?: number; maxLength?: number },
  value: string,
): boolean {
  if (schema.pattern === undefined) return false;
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
  return new RegExp(schema.pattern, 'u').test(value);
}

describe('hostile input on every operation', { timeout: 300_000 }, () => {
  it('refuses hostile path parameters', async () => {
    const values = [
      ...HOSTILE_STRINGS,
      'not-a-uuid',
      '-1',
      '9'.repeat(40),
      'x'.repeat(100),
      'constructor',
      '\u202e',
      ' ',
      '00000000-0000-4000-8000-000000000000',
    ];
    const { failures, attempts } = await forEachTarget(
      (op) => op.pathParams.length > 0,
      async (op, actor, client) => {
        const results = [];
        for (const p of op.pathParams) {
          for (const value of values) {
            const url = urlOf(op, { ...base, [p.name]: value });
            results.push(
              await attack(`${actor} ${op.method} ${url}`, () =>
                client.request(op.method, url, validRequest(op)),
              ),
            );
          }
        }
        return results;
      },
    );
    expect(attempts).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });

  it('refuses malformed and oversized URLs with a problem too', async () => {
    const urls = [
      '/api/v1/cases/%',
      '/api/v1/cases/%E0%A4%A',
      '/api/v1/cases/%C0%AF',
      '/api/v1/cases/%00',
      `/api/v1/cases/${'9'.repeat(65)}`,
      `/api/v1/cases?status=${'x'.repeat(20_000)}`,
    ];
    const failures = [];
    for (const url of urls) {
      for (const actor of ['responsable', 'usager'] as const) {
        failures.push(
          await attack(`${actor} GET ${url.slice(0, 60)}`, () => clients[actor].get(url)),
        );
      }
    }
    expect(failures.filter((f) => f !== null)).toEqual([]);
  });

  it('refuses hostile query strings', async () => {
    const byType: Record<string, string[]> = {
      integer: ['abc', '-1', '1.5', 'NaN', 'Infinity', '1e400', '9'.repeat(30), '1 OR 1=1'],
      boolean: ['maybe', '2', "' OR 1=1--", '[]'],
      string: [...HOSTILE_STRINGS, 'BROUILLON', 'x'.repeat(4_000)],
    };
    const { failures, attempts } = await forEachTarget(
      (op) => op.query.length > 0,
      async (op, actor, client) => {
        const required = op.query
          .filter((q) => q.required)
          .map((q) => `${q.name}=${encodeURIComponent(String(q.schema.anyOf?.[0]?.enum?.[0]))}`);
        const queries: string[] = [];
        for (const q of op.query) {
          const type = q.schema.type ?? q.schema.anyOf?.[0]?.type ?? 'string';
          const others = required.filter((r) => !r.startsWith(`${q.name}=`));
          for (const v of byType[type] ?? byType.string!) {
            // A value the parameter's own schema admits (a team may be named 2024-02-30) is an
            // ordinary query, not hostile input.
            if (type === 'string' && admitsString(q.schema, v)) continue;
            queries.push([...others, `${q.name}=${encodeURIComponent(v)}`].join('&'));
          }
          const { minimum, maximum } = q.schema;
          if (minimum !== undefined)
            queries.push([...others, `${q.name}=${minimum - 1}`].join('&'));
          if (maximum !== undefined)
            queries.push([...others, `${q.name}=${maximum + 1}`].join('&'));
          queries.push([...others, `${q.name}=1`, `${q.name}=2`].join('&'));
          if (q.required) queries.push(others.join('&'));
        }
        for (const extra of ['__proto__', 'constructor', 'prototype', 'isAdmin', 'status[$ne]']) {
          queries.push([...required, `${encodeURIComponent(extra)}=1`].join('&'));
        }
        const results = [];
        for (const query of queries) {
          const url = urlOf(op, base, query);
          results.push(
            await attack(`${actor} ${op.method} ${url.slice(0, 200)}`, () =>
              client.request(op.method, url, validRequest(op)),
            ),
          );
        }
        return results;
      },
    );
    expect(attempts).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('refuses malformed JSON, wrong content types, huge and deeply nested bodies', async () => {
    const raw: Array<[string, string]> = [
      ['{', 'application/json'],
      ['{"a":', 'application/json'],
      ['[1,]', 'application/json'],
      ["{'a':1}", 'application/json'],
      ['{"a":1}{"b":2}', 'application/json'],
      ['nul', 'application/json'],
      ['', 'application/json'],
      ['\u0000', 'application/json'],
      ['[]', 'application/json'],
      ['"texte"', 'application/json'],
      ['12', 'application/json'],
      ['null', 'application/json'],
      ['true', 'application/json'],
      ['{"__proto__":{"isAdmin":true}}', 'application/json'],
      ['{"constructor":{"prototype":{"isAdmin":true}}}', 'application/json'],
      ['['.repeat(20_000) + ']'.repeat(20_000), 'application/json'],
      ['{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), 'application/json'],
      [JSON.stringify({ body: 'x'.repeat(70_000) }), 'application/json'],
    ];
    const { failures, attempts } = await forEachTarget(
      (op) => op.body !== null,
      async (op, actor, client) => {
        const valid = JSON.stringify(validRequest(op).json);
        const variants: Array<[string, string]> = [
          ...raw,
          [valid, 'text/plain'],
          [valid, 'application/x-www-form-urlencoded'],
          [valid, 'application/xml'],
          [valid, 'application/jsonx'],
          [valid, 'application/octet-stream'],
          [valid, MULTIPART_TYPE],
          [`${valid.slice(0, -1)},"__proto__":{"isAdmin":true}}`, 'application/json'],
        ];
        const url = urlOf(op, base);
        const results = [];
        for (const [body, type] of variants) {
          results.push(
            await attack(`${actor} ${op.method} ${url} [${type}] ${body.slice(0, 50)}`, () =>
              client.request(op.method, url, { body, headers: { 'content-type': type } }),
            ),
          );
        }
        results.push(
          await attack(`${actor} ${op.method} ${url} without content-type`, () =>
            client.request(op.method, url, { body: Buffer.from(valid) }),
          ),
        );
        return results;
      },
    );
    expect(attempts).toBeGreaterThan(150);
    expect(failures).toEqual([]);
  });

  // The largest run (every operation × actor × mutant): ten minutes at most on a busy machine.
  it(
    'refuses every single-point corruption of a schema-valid body (types, extra keys, limits)',
    { timeout: 600_000 },
    async () => {
      const { failures, attempts } = await forEachTarget(
        (op) => op.body !== null,
        async (op, actor, client) => {
          const valid = validRequest(op).json;
          const url = urlOf(op, base);
          const results = [];
          for (const m of mutants(op.body!, valid)) {
            results.push(
              await attack(`${actor} ${opKey(op)} ${m.label}`, () =>
                client.request(op.method, url, { json: m.body }),
              ),
            );
          }
          return results;
        },
      );
      expect(attempts).toBeGreaterThan(300);
      expect(failures).toEqual([]);
    },
  );

  it('refuses corruptions of random schema-valid bodies (fast-check)', async () => {
    for (const op of ops.filter((o) => o.body !== null)) {
      const schema = op.body!;
      const corrupted = validArb(schema, hints).chain((valid) => {
        const all = mutants(schema, valid);
        return fc.constantFrom(...all);
      });
      for (const actor of actorsFor(op)) {
        await fc.assert(
          fc.asyncProperty(corrupted, async (m) => {
            const failure = await attack(`${actor} ${opKey(op)} ${m.label}`, () =>
              clients[actor].request(op.method, urlOf(op, base), { json: m.body }),
            );
            expect(failure).toBeNull();
          }),
          { seed: SEED, numRuns: RANDOM_RUNS, endOnFailure: true },
        );
      }
    }
  });

  it('treats hostile session cookies as no session at all', async () => {
    const cookies = [
      `__Host-cloison_session=${'A'.repeat(129)}`,
      "__Host-cloison_session=' OR 1=1--",
      '__Host-cloison_session=%00',
      '__Host-cloison_session=a; __Host-cloison_session=b',
      `__Host-cloison_session=${'A'.repeat(43)}`,
      '__proto__=x',
    ];
    const failures = [];
    for (const cookie of cookies) {
      const res = await clients.anonymous.get('/api/v1/me', { headers: { cookie } });
      failures.push(...problemIssues(res, 401).map((i) => `${cookie.slice(0, 40)}: ${i}`));
    }
    expect(failures).toEqual([]);
  });

  it('treats hostile Authorization headers as no credential at all', async () => {
    const id = base.tokenId!;
    const headers = [
      `Bearer ${'A'.repeat(10_000)}`,
      'Bearer',
      'Bearer ',
      'Basic YWRtaW46YWRtaW4=',
      `Bearer clo_${id}_' OR 1=1--`,
      `Bearer clo_${id}_${'A'.repeat(43)}`,
      `Bearer clo_${id.toUpperCase()}_${'A'.repeat(43)}`,
      `Bearer clo_../../etc/passwd_${'A'.repeat(43)}`,
      `Bearer clo_${id}_${'A'.repeat(43)} clo_${id}_${'B'.repeat(43)}`,
      'Bearer %00',
    ];
    const failures = [];
    for (const authorization of headers) {
      const res = await clients.anonymous.get('/api/v1/cases', { headers: { authorization } });
      failures.push(...problemIssues(res, 401).map((i) => `${authorization.slice(0, 40)}: ${i}`));
    }
    expect(failures).toEqual([]);
  });

  it('left no blob behind from any refused upload', () => {
    const blobs = listFiles(`${server.dataDir}/blobs`);
    expect(blobs.filter((b) => b.startsWith('.tmp'))).toEqual([]);
    // Documents and mandate proofs are the blobs the database references.
    expect(blobs.filter((b) => !b.startsWith('.tmp')).length).toBe(
      storageKeys(server.dbFile).length,
    );
  });
});
