import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { problems } from '../errors.js';
import { INTEGRATION_ACTIONS, passesRoleGate, RECIPIENT_TOKEN_ACTIONS } from '../policy/actions.js';
import { recordSecurityEvent } from '../modules/events/security-events.js';
import { ProblemSchema } from './problem-schema.js';
import { ALLOWED_BEFORE_SECOND_FACTOR } from '../modules/mfa/second-factor-state.js';
import type { RouteDef } from './route.js';
import { withCommitHook } from '../db/commit-hooks.js';
import { RequestAudit } from '../modules/audit/request-audit.js';
import { inUnitOf, requestDurable } from './unit-of-work.js';
import { contextOf, objectOfParams } from './request-context.js';
import { ActorLimiter, actorSubjectKey } from './actor-limits.js';
import { recordRateLimited } from './rate-limit-events.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses state-changing requests whose Origin is another site. SameSite=Strict cookies are the
 * first defence against cross-site requests; this is the second.
 */
async function checkOrigin(request: FastifyRequest, deps: AppDeps): Promise<void> {
  if (!UNSAFE_METHODS.has(request.method)) return;
  // Fetch metadata, where the browser sends it, is the plainest statement of where a request
  // comes from; a cross-site or same-site (sibling subdomain) write is refused.
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    await recordSecurityEvent(deps, contextOf(request), {
      kind: 'request.cross-origin',
      actor: request.actor,
    });
    throw problems.crossOrigin();
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let originHost: string | null;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (originHost !== null && originHost === request.headers.host) return;
  // A forged cross-site write is an attack signal for the alerting issue, not just an error.
  await recordSecurityEvent(deps, contextOf(request), {
    kind: 'request.cross-origin',
    actor: request.actor,
  });
  throw problems.crossOrigin();
}

/**
 * Spends one request of the actor's fair share, released when the answer is done (or the client
 * gone); over it, a 429 with Retry-After before anything else is done for the request.
 */
async function admitActor(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AppDeps,
  limiter: ActorLimiter,
): Promise<void> {
  const key = actorSubjectKey(request.actor);
  if (key === null) return;
  const admission = limiter.admit(key);
  if (admission.admitted) {
    reply.raw.once('close', admission.release);
    return;
  }
  recordRateLimited(deps, request, `account-${admission.limit}`);
  throw problems.rateLimited(admission.retryAfterSeconds);
}

function gateFor(def: RouteDef, deps: AppDeps, limiter: ActorLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await admitActor(request, reply, deps, limiter);
    await checkOrigin(request, deps);
    const policy = def.policy;
    if ('public' in policy && policy.public === true) return;
    const actor = request.actor;
    if (actor.kind === 'anonymous') {
      await recordSecurityEvent(deps, contextOf(request), {
        kind: 'access.unauthenticated',
        actor,
      });
      throw problems.unauthenticated();
    }
    // Before the role gate: a session still owing its second factor learns nothing of its role.
    const state = request.secondFactor;
    if (state !== 'done' && !('authenticated' in policy)) {
      const allowed = 'action' in policy && ALLOWED_BEFORE_SECOND_FACTOR[state].has(policy.action);
      if (!allowed) {
        await recordSecurityEvent(deps, contextOf(request), {
          kind: 'access.second-factor-required',
          actor,
          action: 'action' in policy ? policy.action : null,
        });
        throw problems.secondFactorRequired(state === 'due' ? 'second-factor' : 'enroll');
      }
    }
    // An integration acts only through actions granted to it, never on routes for any signed-in
    // person (logout...), which are about a person's own session.
    const refused =
      'action' in policy ? !passesRoleGate(actor, policy.action) : actor.kind === 'integration';
    if (refused) {
      await recordSecurityEvent(deps, contextOf(request), {
        kind: 'access.forbidden',
        actor,
        action: 'action' in policy ? policy.action : null,
      });
      throw problems.forbidden();
    }
  };
}

function describe(def: RouteDef): Record<string, unknown> {
  const success = def.status ?? 200;
  const response: Record<string, unknown> = {
    '4xx': ProblemSchema,
    '5xx': ProblemSchema,
  };
  if (def.response === 'redirect') {
    response[303] = {
      description: 'Back to the browser: Location says where',
      headers: { location: { type: 'string' } },
      type: 'null',
    };
  } else if (def.response === 'binary') {
    response[success] = {
      description: 'The file, as an attachment',
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    };
  } else if (success === 204) {
    response[204] = { type: 'null', description: 'No content' };
  } else {
    response[success] = def.response;
  }
  const schema: Record<string, unknown> = {
    summary: def.summary,
    tags: [...def.tags],
    response,
  };
  if (def.params) schema.params = def.params;
  if (def.querystring) schema.querystring = def.querystring;
  if (def.body) schema.body = def.body;
  if (def.multipart) schema.consumes = ['multipart/form-data'];
  if (!('public' in def.policy && def.policy.public === true)) schema.security = [{ session: [] }];
  if (
    'action' in def.policy &&
    [...INTEGRATION_ACTIONS, ...RECIPIENT_TOKEN_ACTIONS].includes(def.policy.action)
  ) {
    schema.security = [{ session: [] }, { integrationToken: [] }];
  }
  const policy = def.policy;
  schema['x-policy'] =
    'public' in policy && policy.public === true
      ? 'public'
      : 'action' in policy
        ? policy.action
        : 'authenticated';
  return schema;
}

/** The per-address limit of a route; one that spares some requests decides after validation. */
function addressLimit(def: RouteDef, deps: AppDeps) {
  const limit = { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' };
  const spare = def.spareAddressLimit;
  if (!spare) return limit;
  return {
    ...limit,
    hook: 'preHandler' as const,
    allowList: (request: FastifyRequest) => spare(request, deps),
  };
}

/** The audit record of each request in flight to an action route. */
const audits = new WeakMap<FastifyRequest, RequestAudit>();

/** Registers a route table. Each route gets its policy in config, checked by the route guard. */
export function registerRoutes(
  app: FastifyInstance,
  routes: readonly RouteDef[],
  deps: AppDeps,
): void {
  const limiter = new ActorLimiter({
    concurrent: deps.config.accountConcurrentRequests,
    perMinute: deps.config.accountRequestsPerMinute,
  });
  for (const def of routes) {
    const gate = gateFor(def, deps, limiter);
    app.route({
      method: def.method,
      url: def.url,
      schema: describe(def),
      config: {
        policy: def.policy,
        ...(def.rateLimited === 'login' ? { rateLimit: addressLimit(def, deps) } : {}),
      },
      // Before the body is even parsed: an anonymous or role-less caller gets nothing processed.
      onRequest: (request, reply) => inUnitOf(request, () => gate(request, reply)),
      // Every action carried out is in the audit log: a change in the transaction that makes it
      // (the handler's commit hook), a read before its answer leaves; if it cannot be recorded,
      // the answer is replaced by an error (a read that cannot be audited is not served).
      // Refusals are recorded with their security events.
      // ...and no answer, error or not, leaves before what it depends on is durable.
      onSend: async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        const audit = audits.get(request);
        if (audit && reply.statusCode < 400) {
          await inUnitOf(request, () => audit.recordUnlessDone());
          deps.alerts.wake();
        }
        await requestDurable(request);
        return payload;
      },
      handler: async (request, reply) => {
        const run = () =>
          def.handler({
            actor: request.actor,
            params: request.params as never,
            query: request.query as never,
            body: request.body as never,
            request,
            reply,
            deps,
          });
        let result: unknown;
        if ('action' in def.policy) {
          const audit = new RequestAudit(
            deps,
            {
              ...contextOf(request),
              // Read when the record is written: the actor the request ends up with.
              get actor() {
                return request.actor;
              },
            },
            def.policy.action,
            def.method !== 'GET',
            objectOfParams(request.params),
          );
          audits.set(request, audit);
          try {
            result = await inUnitOf(request, () => withCommitHook(audit, run));
          } finally {
            // Whatever the handler left running in the background records nothing for it.
            audit.done = true;
          }
        } else {
          result = await inUnitOf(request, run);
        }
        if (def.response === 'binary') return reply;
        if (def.response === 'redirect') {
          // The Location may carry one-time values (an OpenID Connect state): never cached.
          return reply.header('cache-control', 'no-store').redirect(String(result), 303);
        }
        if (def.status === 204) return reply.code(204).send();
        if (def.status) reply.code(def.status);
        return result;
      },
    });
  }
}
