import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  Ajv,
  type AnySchemaObject,
  type ErrorObject,
  type FuncKeywordDefinition,
  type SchemaValidateFunction,
} from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFound, problems, problemType } from '../errors.js';
import { sendProblem } from './error-handler.js';
import { MIN_VISIBLE_KEYWORD, countVisibleCharacters } from '../modules/visible-text.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * VisibleText's rule (modules/visible-text.ts): at least n visible characters. It also stores
 * the value in NFC, the form it was counted in, and refuses one that normalising made longer than
 * its maxLength (a few scripts' characters decompose in NFC).
 */
const checkMinVisible: SchemaValidateFunction = (
  min: number,
  data: string,
  parentSchema?: AnySchemaObject,
  context?: Parameters<SchemaValidateFunction>[3],
) => {
  const normalised = data.normalize('NFC');
  const fail = (message: string) => {
    checkMinVisible.errors = [{ keyword: MIN_VISIBLE_KEYWORD, message, params: { limit: min } }];
    return false;
  };
  if (countVisibleCharacters(normalised) < min) {
    return fail(
      min === 1
        ? 'doit contenir au moins un caractère visible'
        : `doit contenir au moins ${min} caractères visibles`,
    );
  }
  const max: unknown = parentSchema?.maxLength;
  if (typeof max === 'number' && [...normalised].length > max) {
    return fail(`ne doit pas dépasser ${max} caractères`);
  }
  if (normalised !== data && context?.parentData) {
    context.parentData[context.parentDataProperty] = normalised;
  }
  return true;
};

const minVisibleKeyword: FuncKeywordDefinition = {
  keyword: MIN_VISIBLE_KEYWORD,
  type: 'string',
  schemaType: 'number',
  modifying: true,
  errors: true,
  validate: checkMinVisible,
};

function buildAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
  });
  addFormats(ajv);
  ajv.addKeyword(minVisibleKeyword);
  return ajv;
}

/**
 * JSON bodies are validated as sent (a number is never a string); only the URL parts, which are
 * text by nature, are coerced, and never to a non-finite number (ajv#2212 lets "Infinity" and
 * "1e400" through integer and maximum).
 */
export function installValidation(app: FastifyInstance): void {
  const strict = buildAjv(false);
  const coercing = buildAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart === 'body') return strict.compile(schema);
    const validate = coercing.compile(schema);
    const check = (data: unknown) => {
      if (!validate(data)) {
        check.errors = validate.errors;
        return false;
      }
      for (const [key, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
        if (typeof value === 'number' && !Number.isFinite(value)) {
          check.errors = [
            { instancePath: `/${key}`, message: 'must be a finite number' } as ErrorObject,
          ];
          return false;
        }
      }
      return true;
    };
    check.errors = null as ErrorObject[] | null | undefined;
    return check;
  });
}

/** Router errors raised before any hook: as problems too. */
export function frameworkErrors(
  error: { code?: string },
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  sendProblem(
    reply,
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new NotFound()
      : problems.validation('Adresse invalide.'),
  );
}

/** Errors of the HTTP parser itself (oversized headers, garbage): as problems too. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex) {
  if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify({
    type: problemType('bad-request'),
    title: 'Requête invalide',
    status,
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
