import type { JsonSchema } from './schema-fuzz.js';

/** One operation of the served OpenAPI document, reduced to what a fuzzer needs. */
export interface Operation {
  method: string;
  /** OpenAPI path template, e.g. /api/v1/cases/{caseId}. */
  template: string;
  /** x-policy: "public", "authenticated" or an action name. */
  policy: string;
  pathParams: Array<{ name: string; schema: JsonSchema }>;
  query: Array<{ name: string; schema: JsonSchema; required: boolean }>;
  body: JsonSchema | null;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, RawOperation>>;
}

interface RawOperation {
  'x-policy'?: string;
  parameters?: Array<{ in: string; name: string; required?: boolean; schema: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema: JsonSchema }> };
}

/** Every operation of the document. */
export function operationsOf(doc: unknown): Operation[] {
  const ops: Operation[] = [];
  for (const [template, methods] of Object.entries((doc as OpenApiDoc).paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const params = raw.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        template,
        policy: raw['x-policy'] ?? 'public',
        pathParams: params.filter((p) => p.in === 'path'),
        query: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
        body: raw.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return ops;
}

/** "POST /api/v1/cases/{caseId}/transitions" */
export function opKey(op: Operation): string {
  return `${op.method} ${op.template}`;
}

/** The URL of an operation with its path parameters filled in (encoded) and a query string. */
export function urlOf(op: Operation, params: Record<string, string>, query = ''): string {
  const path = op.template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name}`);
    return encodeURIComponent(value);
  });
  return query === '' ? path : `${path}?${query}`;
}
