import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../policy/actor.js';
import type { Action } from '../policy/actions.js';
import type { AppDeps } from '../deps.js';

/**
 * What a route must declare before the server will start: public, any signed-in account, or an
 * action whose role gate and object rules live in src/policy.
 */
export type RoutePolicy =
  | { readonly public: true; readonly why: string }
  | { readonly authenticated: true }
  | { readonly action: Action };

export interface RouteContext<P, Q, B> {
  readonly actor: Actor;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly deps: AppDeps;
}

export interface RouteDef<
  P extends TSchema = TSchema,
  Q extends TSchema = TSchema,
  B extends TSchema = TSchema,
  R extends TSchema = TSchema,
> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly policy: RoutePolicy;
  readonly params?: P;
  readonly querystring?: Q;
  readonly body?: B;
  /** Throttled per client address (login: CLOISON_LOGIN_RATE_LIMIT per minute). */
  readonly rateLimited?: 'login';
  /**
   * Requests this answers true for, once their body is validated, are spared the per-address
   * limit because a narrower one applies in the service (a browser known to the account it signs
   * in to): on an address many people share, a stranger's guesses must not lock out the rest.
   */
  readonly spareAddressLimit?: (request: FastifyRequest, deps: AppDeps) => Promise<boolean>;
  /** A multipart/form-data upload; the handler reads the parts itself. */
  readonly multipart?: boolean;
  /**
   * Success status and schema. `binary` routes stream their own body; `redirect` routes answer a
   * browser navigation with a 303 whose Location the handler returns.
   */
  readonly status?: 200 | 201 | 202 | 204;
  readonly response: R | 'binary' | 'redirect';
  readonly handler: (
    ctx: RouteContext<Static<P>, Static<Q>, Static<B>>,
  ) => Promise<Static<R> | void>;
}

/** Identity function that keeps the schema types tied to the handler's arguments. */
export function defineRoute<
  P extends TSchema = TSchema,
  Q extends TSchema = TSchema,
  B extends TSchema = TSchema,
  R extends TSchema = TSchema,
>(def: RouteDef<P, Q, B, R>): RouteDef {
  return def as unknown as RouteDef;
}
