import fc from 'fast-check';

/** The JSON Schema subset the OpenAPI document of Cloison uses (TypeBox output). */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  minProperties?: number;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  /** VisibleText's minimum of characters a reader sees (src/modules/visible-text.ts). */
  'x-min-visible'?: number;
}

/** Supplies a valid value for a property by name (real ids), or undefined for the default. */
export type Hints = (key: string) => fc.Arbitrary<unknown> | undefined;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Code points that surely draw nothing: white space, zero-width and direction characters,
 * fillers, blanks, marks (combining accents, variation selectors). Written out here rather than
 * taken from the server, and shorter than the server's list on purpose: counting every other
 * code point as visible can only overestimate what a reader sees, so a value this count finds
 * too short is one the server must refuse.
 */
const SURELY_INVISIBLE =
  /[\s\p{M}\u00ad\u115f\u1160\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u2800\u3164\ufeff\uffa0]/u;

/** At most the number of characters a reader sees in `v`. */
function visibleAtMost(v: string): number {
  return [...v].filter((c) => !SURELY_INVISIBLE.test(c)).length;
}

/** Values that look empty, at a length the schema's minLength and maxLength admit. */
function blankLookingStrings(schema: JsonSchema): string[] {
  const min = schema['x-min-visible'];
  if (min === undefined) return [];
  const n = Math.min(Math.max(min, schema.minLength ?? 0, 20), schema.maxLength ?? 20);
  const blanks = ['\u200b', '\u3164', '\u2800', '\u00a0', '\u3000', '\u202e', '\ufe0f'].map((c) =>
    c.repeat(n),
  );
  blanks.push(' \u0301'.repeat(Math.ceil(n / 2)).slice(0, n));
  // One visible character short of the minimum, padded with invisible ones to any length.
  if (min > 1)
    blanks.push(`${'x'.repeat(min - 1)}${'\u200b'.repeat(n)}`.slice(0, schema.maxLength));
  return blanks;
}

/** Values valid for the schema: what a well-behaved client would send. */
export function validArb(schema: JsonSchema, hints: Hints, key = ''): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => validArb(s, hints, key)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string': {
      const hinted = hints(key);
      if (hinted) return hinted;
      if (schema.format === 'uuid') return fc.uuid({ version: 4 });
      if (schema.format === 'date')
        return fc
          .date({ min: new Date('1950-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
          .map(isoDay);
      const min = Math.max(schema.minLength ?? 0, 1);
      // Short unless the schema wants longer (a hash of exactly 64 characters).
      const max = Math.max(min, Math.min(schema.maxLength ?? 40, 40));
      const text = fc.string({
        unit: fc.constantFrom(...'abcdefgh éèçàXYZ-'),
        minLength: min,
        maxLength: max,
      });
      // In this alphabet every character but the space is one a reader sees.
      const visible = schema['x-min-visible'];
      return visible === undefined
        ? text
        : text.filter((t) => t.replaceAll(' ', '').length >= visible);
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = validArb(schema.items ?? {}, hints, key);
      const bounds = { minLength: schema.minItems ?? 0, maxLength: schema.maxItems ?? 5 };
      return schema.uniqueItems ? fc.uniqueArray(items, bounds) : fc.array(items, bounds);
    }
    case 'object': {
      const props = schema.properties ?? {};
      const record = fc.record(
        Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validArb(s, hints, k)])),
        { requiredKeys: schema.required ?? [] },
      );
      const minProps = schema.minProperties ?? 0;
      return record.filter((o) => Object.keys(o).length >= minProps);
    }
    default:
      return fc.constant(null);
  }
}

/** Strings aimed at SQL, NoSQL, path and markup interpreters. */
export const HOSTILE_STRINGS = [
  "' OR '1'='1",
  '1; DROP TABLE cases;--',
  "x' UNION SELECT password_hash FROM accounts--",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '\u0000',
  '%00',
  '${7*7}{{7*7}}',
  '00000000-0000-0000-0000-00000000000g',
  '2024-02-30',
  '__proto__',
];

/** Deeply nested JSON: 4 000 levels of arrays. */
export const DEEP_ARRAY: unknown = JSON.parse('['.repeat(4_000) + ']'.repeat(4_000));

/** Values of every JSON type, to put where the schema expects another type. */
const TYPE_CANDIDATES: unknown[] = [
  0,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  null,
  'texte',
  '',
  [],
  ['AAH'],
  {},
  { $ne: null },
  DEEP_ARRAY,
];

/** Property names no body schema declares, several of them aimed at prototype pollution. */
const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'isAdmin', 'tenantId', 'role', 'id'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** A local validator for the subset above, to keep only mutants that are surely invalid. */
export function isValid(schema: JsonSchema, v: unknown): boolean {
  if (schema.anyOf) return schema.anyOf.some((s) => isValid(s, v));
  if (schema.enum && !schema.enum.includes(v)) return false;
  const t = jsonType(v);
  if (schema.type && schema.type !== t && !(schema.type === 'number' && t === 'integer'))
    return false;
  if (typeof v === 'string') {
    const length = [...v].length;
    if (schema.minLength !== undefined && length < schema.minLength) return false;
    if (schema.maxLength !== undefined && length > schema.maxLength) return false;
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(v)) return false;
    const visible = schema['x-min-visible'];
    if (visible !== undefined && visibleAtMost(v) < visible) return false;
    if (schema.format === 'uuid' && !UUID.test(v)) return false;
    // Looser than ajv-formats: anything it calls invalid, ajv does too.
    if (schema.format === 'email' && !/^[^@\s]+@[^@\s]+$/.test(v)) return false;
    if (schema.format === 'date') {
      const d = new Date(`${v}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || isoDay(d) !== v)
        return false;
    }
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) return false;
    if (schema.maximum !== undefined && v > schema.maximum) return false;
  }
  if (Array.isArray(v)) {
    if (schema.minItems !== undefined && v.length < schema.minItems) return false;
    if (schema.maxItems !== undefined && v.length > schema.maxItems) return false;
    if (schema.uniqueItems && new Set(v.map((x) => JSON.stringify(x))).size !== v.length)
      return false;
    if (schema.items && !v.every((x) => isValid(schema.items!, x))) return false;
  }
  if (t === 'object' && schema.type === 'object') {
    const o = v as Record<string, unknown>;
    const props = schema.properties ?? {};
    const keys = Object.keys(o);
    if (schema.additionalProperties === false && keys.some((k) => !(k in props))) return false;
    if ((schema.required ?? []).some((k) => !(k in o))) return false;
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) return false;
    if (keys.some((k) => props[k] && !isValid(props[k], o[k]))) return false;
  }
  return true;
}

/** Values that the schema refuses: other types, hostile strings, out-of-range numbers. */
function invalidValues(schema: JsonSchema): unknown[] {
  const strings = [...HOSTILE_STRINGS];
  const stringBranches = schema.anyOf?.filter((s) => s.type === 'string') ?? [schema];
  for (const s of stringBranches) {
    if (s.maxLength !== undefined) strings.push('x'.repeat(s.maxLength + 1));
    if (s.enum) strings.push(...s.enum.map((e) => String(e).toLowerCase() + ' '));
    strings.push(...blankLookingStrings(s));
  }
  const numbers = [schema.minimum, schema.maximum].flatMap((n) =>
    n === undefined ? [] : [n - 1, n + 1],
  );
  const arrays: unknown[][] = [];
  if (schema.type === 'array') {
    const sample = schema.items?.enum?.[0] ?? schema.items?.anyOf?.[0]?.enum?.[0] ?? 'x';
    arrays.push(
      [sample, sample],
      Array.from({ length: (schema.maxItems ?? 50) + 1 }, (_, i) => i),
    );
    // A bare item where an array belongs: valid only to a server that coerces types.
    strings.push(String(sample));
  }
  return [...TYPE_CANDIDATES, ...strings, ...numbers, ...arrays].filter((v) => !isValid(schema, v));
}

/** Sets an own, enumerable property, even one named __proto__. */
function withKey(o: Record<string, unknown>, key: string, value: unknown) {
  const copy = { ...o };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

export interface Mutant {
  label: string;
  body: unknown;
}

/**
 * Every single-point corruption of a valid value: each node replaced by invalid values, each
 * object given an undeclared key, stripped of a required one, or emptied. Only mutants the
 * local validator rejects are kept, so a 2xx answer always means the server accepted bad input.
 */
export function mutants(schema: JsonSchema, value: unknown, path = 'body'): Mutant[] {
  const out: Mutant[] = invalidValues(schema).map((v) => ({
    label: `${path} = ${short(v)}`,
    body: v,
  }));
  if (schema.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const props = schema.properties ?? {};
    for (const key of EXTRA_KEYS.filter((k) => !(k in props))) {
      out.push({ label: `${path}.${key} added`, body: withKey(o, key, { isAdmin: true }) });
    }
    for (const key of schema.required ?? []) {
      const rest = { ...o };
      delete rest[key];
      out.push({ label: `${path}.${key} removed`, body: rest });
    }
    if (schema.minProperties) out.push({ label: `${path} emptied`, body: {} });
    for (const [key, child] of Object.entries(props)) {
      const inner = mutants(child, o[key], `${path}.${key}`);
      for (const m of inner) out.push({ label: m.label, body: withKey(o, key, m.body) });
    }
  }
  if (schema.type === 'array' && Array.isArray(value) && value.length > 0 && schema.items) {
    for (const m of mutants(schema.items, value[0], `${path}[0]`)) {
      out.push({ label: m.label, body: [m.body, ...value.slice(1)] });
    }
  }
  return out.filter((m) => !isValid(schema, m.body));
}

function short(v: unknown): string {
  const text = v === DEEP_ARRAY ? '[[[…4000 levels…]]]' : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
