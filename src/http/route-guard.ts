import type { FastifyInstance, RouteOptions } from 'fastify';
import { ROLE_GATES } from '../policy/actions.js';
import type { RoutePolicy } from './route.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
}

/** Raised at registration time, so a server with an undeclared route never starts. */
export class UndeclaredPolicyError extends Error {
  constructor(method: string, url: string) {
    super(`Route ${method} ${url} declares no policy: add config.policy or refuse to serve it`);
    this.name = 'UndeclaredPolicyError';
  }
}

/**
 * Exactly one of the three shapes, nothing else: a policy with extra or contradictory keys
 * (`{ public: false, action }`) is refused rather than interpreted.
 */
function isPolicy(value: unknown): value is RoutePolicy {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v).sort().join(',');
  if (keys === 'public,why') return v.public === true && typeof v.why === 'string' && v.why !== '';
  if (keys === 'authenticated') return v.authenticated === true;
  if (keys === 'action') return typeof v.action === 'string' && Object.hasOwn(ROLE_GATES, v.action);
  return false;
}

/** A route the server admitted, with the policy it declared. */
export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly policy: RoutePolicy;
}

/**
 * Refuses any route registered without a policy, whoever registers it (our tables or a plugin).
 * Must be installed before any route. Returns the live list of admitted routes: the access
 * matrix checks it covers every one of them, and `cloison routes` prints it.
 */
export function installRouteGuard(app: FastifyInstance): readonly DeclaredRoute[] {
  const admitted: DeclaredRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const policy = route.config?.policy;
    if (!isPolicy(policy)) throw new UndeclaredPolicyError(methods.join(','), route.url);
    for (const method of methods) admitted.push({ method, url: route.url, policy });
  });
  return admitted;
}
