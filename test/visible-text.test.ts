import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { operationsOf, opKey } from './support/openapi.js';
import { expectProblem, problemSlug } from './support/problem.js';
import type { JsonSchema } from './support/schema-fuzz.js';
import { stopAndRemove } from './support/storage.js';

/**
 * Free text a person types is long enough only by what a reader sees: a reason, message or note
 * made of zero-width spaces, fillers or blanks is refused like an empty one, and leaves nothing.
 */

let server: RunningServer;
let world: World;

beforeAll(async () => {
  server = await startServer();
  world = readWorld(server.dbFile);
});
afterAll(() => stopAndRemove(server));

/** Values that look empty on screen, each long enough for the length counted in code points. */
const BLANKS: Record<string, string> = {
  'zero width space': '\u200b'.repeat(25),
  'Hangul filler': '\u3164'.repeat(25),
  'halfwidth Hangul filler': '\uffa0'.repeat(25),
  'Hangul choseong and jungseong fillers': '\u115f\u1160'.repeat(13),
  'braille blank': '\u2800'.repeat(25),
  'no-break and wide spaces': '\u00a0\u2003\u202f\u205f\u3000'.repeat(5),
  'direction marks and overrides': '\u200e\u200f\u202e\u2066\u2069'.repeat(5),
  'variation selectors': '\ufe0f\ufe0e'.repeat(13),
  'combining accents with no letter': ' \u0301\u0308'.repeat(9),
  'joiners, word joiner and byte order mark': '\u200c\u200d\u2060\ufeff'.repeat(7),
};

function count(sql: string, ...params: unknown[]): number {
  return queryDb<{ n: number }>(server.dbFile, sql, ...params)[0]!.n;
}

function expectBlankRefused(res: HttpResult, field: string, label: string): void {
  expectProblem(res, 400, label);
  expect(problemSlug(res), label).toBe('validation');
  const errors = (res.json as { errors?: Array<{ path: string; message: string }> }).errors ?? [];
  expect(
    errors.map((e) => e.path),
    label,
  ).toEqual([`body/${field}`]);
  expect(errors[0]?.message, label).toMatch(/visible/);
}

/** Cases of the instructeur's département they do not reach by assignment or team. */
function unreachableCases(instructeurId: string) {
  const me = world.accounts.find((a) => a.id === instructeurId)!;
  return world.cases.filter(
    (c) =>
      c.tenant_id === me.tenant_id &&
      c.instructeur_id !== me.id &&
      (me.team === null || c.team !== me.team),
  );
}

describe('a break-glass reason', () => {
  it('of 20 or more invisible characters is refused and opens nothing', async () => {
    const instructeur = server.account('instructeur');
    const client = await new Client(server.baseUrl).login(instructeur);
    const target = unreachableCases(instructeur.id)[0]!;
    const grants = () => count('select count(*) as n from break_glass_grants');
    const before = grants();
    const attempts = {
      '20 zero width spaces': '\u200b'.repeat(20),
      '20 Hangul fillers': '\u3164'.repeat(20),
      '19 letters padded with zero width spaces': `${'x'.repeat(19)}${'\u200b'.repeat(20)}`,
      ...BLANKS,
    };
    for (const [label, reason] of Object.entries(attempts)) {
      const res = await client.post(`/api/v1/cases/${target.id}/break-glass`, {
        json: { reason, minutes: 30 },
      });
      expectBlankRefused(res, 'reason', label);
      expect(grants(), label).toBe(before);
      expect((await client.get(`/api/v1/cases/${target.id}`)).status, label).toBe(404);
    }
  });

  it('that a reader can read is taken, and kept in NFC', async () => {
    const instructeur = server.account('instructeur');
    const client = await new Client(server.baseUrl).login(instructeur);
    // Another case than above: a grant wrongly opened there would make this one a 409.
    const target = unreachableCases(instructeur.id)[1]!;
    // "é" typed as e + combining acute, as some keyboards send it.
    const typed = 'Appel de la personne : re\u0301ponse urgente demande\u0301e 👍🏽';
    const opened = await client.post(`/api/v1/cases/${target.id}/break-glass`, {
      json: { reason: typed, minutes: 5 },
    });
    expect(opened.status, opened.text).toBe(201);
    const id = (opened.json as { id: string }).id;
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const listed = await dpo.get('/api/v1/break-glass?status=all');
    const grant = (listed.json as { items: Array<{ id: string; reason: string }> }).items.find(
      (g) => g.id === id,
    );
    expect(grant?.reason).toBe(typed.normalize('NFC'));
    expect(grant?.reason).not.toBe(typed);
  });
});

describe('a message or a note', () => {
  it('made only of invisible characters is refused and stored nowhere', async () => {
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const person = world.persons.find((p) => p.account_id === server.account('usager').id)!;
    const draft = world.cases.find((c) => c.person_id === person.id && c.status === 'brouillon')!;
    const messages = () => count('select count(*) as n from messages where case_id = ?', draft.id);
    const listed = async () =>
      ((await usager.get(`/api/v1/cases/${draft.id}/messages`)).json as { items: unknown[] }).items
        .length;
    const before = { rows: messages(), listed: await listed() };
    for (const [label, body] of Object.entries({ 'one zero width space': '\u200b', ...BLANKS })) {
      const res = await usager.post(`/api/v1/cases/${draft.id}/messages`, { json: { body } });
      expectBlankRefused(res, 'body', `message: ${label}`);
      expect(messages(), label).toBe(before.rows);
    }
    expect(await listed()).toBe(before.listed);
    // One visible character is a message, even an emoji alone.
    const sent = await usager.post(`/api/v1/cases/${draft.id}/messages`, { json: { body: '👍' } });
    expect(sent.status, sent.text).toBe(201);

    const instructeur = await new Client(server.baseUrl).login(server.account('instructeur-sud'));
    const awaiting = world.cases.find(
      (c) => c.tenant_id === person.tenant_id && c.status === 'attente_cdaph',
    )!;
    const notes = () => count('select count(*) as n from notes where case_id = ?', awaiting.id);
    const notesBefore = notes();
    for (const [label, body] of Object.entries(BLANKS)) {
      const res = await instructeur.post(`/api/v1/cases/${awaiting.id}/notes`, {
        json: { body },
      });
      expectBlankRefused(res, 'body', `note: ${label}`);
      expect(notes(), label).toBe(notesBefore);
    }
    const noted = await instructeur.post(`/api/v1/cases/${awaiting.id}/notes`, {
      json: { body: 'Pièce reçue, à vérifier' },
    });
    expect(noted.status, noted.text).toBe(201);
  });
});

/**
 * Strings of request bodies that may keep a plain minLength: secrets and identifiers, which are
 * compared as sent (a password is never normalised), and values a pattern or a parser already
 * closes. Anything else with a minimum is text a person types.
 */
const NOT_TYPED_TEXT: Record<string, string> = {
  password: 'a secret, compared as typed',
  currentPassword: 'a secret, compared as typed',
  newPassword: 'a secret, checked by the password policy',
  token: 'a mailed token',
  code: 'a one-time or recovery code, or an OpenID Connect code',
  state: 'an OpenID Connect state',
  tenant: 'a département code or id',
  timeZone: 'an IANA time zone name',
  url: 'a webhook or syslog URL, parsed and checked',
  allowedRanges: 'CIDR ranges, parsed',
  team: 'a team slug',
  ageRecipient: 'an age public key, parsed and checked',
  manifestSha256: 'a SHA-256, closed by its pattern',
  receipt: 'a receipt code, closed by its pattern',
  fields: 'names from the export catalogue, checked against it',
};

function stringsWithMinimum(
  schema: JsonSchema,
  key: string,
  out: Array<{ key: string; schema: JsonSchema }>,
): void {
  if (schema.anyOf) for (const s of schema.anyOf) stringsWithMinimum(s, key, out);
  if (schema.type === 'string' && (schema.minLength ?? 0) > 0) out.push({ key, schema });
  if (schema.items) stringsWithMinimum(schema.items, key, out);
  for (const [k, s] of Object.entries(schema.properties ?? {})) stringsWithMinimum(s, k, out);
}

describe('the OpenAPI document', () => {
  it('gives every free-text minimum as visible characters, and none to secrets', async () => {
    const doc = await new Client(server.baseUrl).get('/api/openapi.json');
    const ops = operationsOf(doc.json);
    const visible: string[] = [];
    const plain: string[] = [];
    for (const op of ops) {
      const found: Array<{ key: string; schema: JsonSchema }> = [];
      if (op.body) stringsWithMinimum(op.body, '', found);
      for (const q of op.query) stringsWithMinimum(q.schema, q.name, found);
      for (const { key, schema } of found) {
        const label = `${opKey(op)} ${key}`;
        if (schema['x-min-visible'] !== undefined) {
          visible.push(label);
          expect(schema['x-min-visible'], label).toBe(schema.minLength);
          expect(NOT_TYPED_TEXT, `${label} is a secret or an identifier`).not.toHaveProperty(key);
        } else {
          plain.push(label);
          expect(NOT_TYPED_TEXT, `${label}: text a person types needs VisibleText`).toHaveProperty(
            key,
          );
        }
      }
    }
    // The fields this rule exists for are among them.
    for (const label of [
      'POST /api/v1/cases/{caseId}/break-glass reason',
      'POST /api/v1/cases/{caseId}/messages body',
      'POST /api/v1/cases/{caseId}/notes body',
      'PUT /api/v1/cases/{caseId}/rights/{right}/decision reason',
    ]) {
      expect(visible).toContain(label);
    }
    expect(plain.length).toBeGreaterThan(0);
  });
});
