import type { FastifyInstance, RouteOptions } from 'fastify';
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

function isPolicy(value: unknown): value is RoutePolicy {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.public === true) return typeof v.why === 'string' && v.why.length > 0;
  if (v.authenticated === true) return true;
  return typeof v.action === 'string';
}

/**
 * Refuses any route registered without a policy, whoever registers it (our tables or a plugin).
 * Must be installed before any route.
 */
export function installRouteGuard(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
    if (!isPolicy(route.config?.policy)) throw new UndeclaredPolicyError(method, route.url);
  });
}
