import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFound, Problem, problems } from '../errors.js';
import type { AppDeps } from '../deps.js';
import { recordSecurityEvent } from '../modules/events/security-events.js';
import { KeyRetiredError, TamperedError } from '../crypto/key-manager.js';
import { PersonErasedError } from '../crypto/vault.js';
import { recordRateLimited } from './rate-limit-events.js';
import { integrityFailureRecorded } from './send-attachment.js';
import { contextOf } from './request-context.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: unknown;
  next?: unknown;
  checks?: unknown;
}

function bodyOf(problem: Problem): ProblemBody {
  const body: ProblemBody = { type: problem.type, title: problem.title, status: problem.status };
  if (problem.detail !== undefined) body.detail = problem.detail;
  if (problem.extensions?.errors !== undefined) body.errors = problem.extensions.errors;
  // What the client must do next (second factor to prove or to enrol): safe to say, it depends
  // on the caller's own session only.
  if (problem.extensions?.next !== undefined) body.next = problem.extensions.next;
  // Which readiness checks failed (by name only): what a load balancer's operator needs.
  if (problem.extensions?.checks !== undefined) body.checks = problem.extensions.checks;
  return body;
}

/** Sends a problem as application/problem+json; the body is identical for equal problems. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  const retryAfter = problem.extensions?.retryAfter;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .header('cache-control', 'no-store')
    .send(JSON.stringify(bodyOf(problem)));
}

/** Maps framework errors (validation, parser, multipart, rate limit) to problems. */
function toProblem(error: FastifyError): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof TamperedError) {
    // Never garbage and never a partial value: the stored data failed authentication.
    return new Problem(500, 'integrity', 'Données altérées', 'Cette donnée a été altérée.');
  }
  if (error instanceof PersonErasedError) {
    return new Problem(410, 'erased', 'Données effacées', 'Ces données ont été effacées.');
  }
  if (error instanceof KeyRetiredError) {
    // Loud on purpose: data still wrapped under a retired key is an operator's mistake.
    return new Problem(
      500,
      'key-retired',
      'Clé retirée',
      'Ces données dépendent d’une clé retirée.',
    );
  }
  if (error.validation) {
    const errors = error.validation.map((v) => ({
      path: `${error.validationContext ?? 'body'}${v.instancePath || ''}`,
      message: v.message ?? 'invalid',
    }));
    return problems.validation('La requête ne respecte pas le schéma attendu.', errors);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problems.unsupportedMedia('Ce type de contenu n’est pas accepté par cette route.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return problems.tooLarge('Le contenu dépasse la taille autorisée.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problems.validation('Le corps de la requête n’est pas un JSON valide.');
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_INVALID_JSON_FIELD_ERROR':
    case 'FST_MP_PREMATURE_CLOSE':
    case 'FST_PROTO_VIOLATION':
      return problems.validation('Le formulaire envoyé est invalide.');
  }
  if (error.statusCode === 429) {
    // The per-address limit; its Retry-After header is already on the reply.
    return new Problem(429, 'rate-limited', 'Trop de requêtes', 'Réessayez dans un moment.');
  }
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return problems.validation('La requête est mal formée.');
  }
  if (error.statusCode === 413) return problems.tooLarge('Le contenu dépasse la taille autorisée.');
  if (error.statusCode === 415) return problems.unsupportedMedia('Type de contenu non accepté.');
  return new Problem(500, 'internal', 'Erreur interne');
}

/** Installs the one error handler and the one not-found handler. */
export function installErrorHandling(app: FastifyInstance, deps: AppDeps): void {
  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error);
    if (error instanceof NotFound && error.refusal) {
      await recordSecurityEvent(deps, contextOf(request), {
        kind: error.refusal.reason === 'refused' ? 'access.denied' : 'access.missing',
        actor: request.actor,
        action: error.refusal.action,
        objectType: error.refusal.objectType,
        objectId: error.refusal.objectId,
      });
    }
    // The per-address limit's refusals are guesses at a sign-in form: counted like others.
    if (!(error instanceof Problem) && error.statusCode === 429) {
      recordRateLimited(deps, request, 'address');
    }
    if (error instanceof TamperedError && !integrityFailureRecorded(error)) {
      await recordSecurityEvent(deps, contextOf(request), {
        kind: 'data.integrity-failure',
        actor: request.actor,
        detail: { what: error.message },
      });
    }
    if (problem.status >= 500) {
      // The error object may quote input; log its class and stack, never the request body.
      request.log.error(
        { err: { type: error.name, code: error.code, stack: error.stack } },
        'request failed',
      );
    }
    return sendProblem(reply, problem);
  });

  // An unknown URL answers exactly like a missing or refused object.
  app.setNotFoundHandler(async (_request, reply) => sendProblem(reply, new NotFound()));
}
