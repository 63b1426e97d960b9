import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../modules/request-context.js';

/** The request as the domain may know it: address and declared route, nothing else. */
export function contextOf(request: FastifyRequest): RequestContext {
  return { ip: request.ip, route: `${request.method} ${request.routeOptions.url ?? 'unknown'}` };
}

/** The first id among the route's path parameters: the object the request is about. */
export function objectOfParams(params: unknown): {
  objectType: string | null;
  objectId: string | null;
} {
  for (const [name, value] of Object.entries((params ?? {}) as Record<string, unknown>)) {
    if (name.endsWith('Id') && typeof value === 'string') {
      return { objectType: name.slice(0, -2), objectId: value };
    }
  }
  return { objectType: null, objectId: null };
}
