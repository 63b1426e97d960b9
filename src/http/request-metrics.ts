import type { FastifyInstance } from 'fastify';
import { recordHttpRequest } from '../metrics/metrics.js';

/** The methods a label may name; anything else (the parser accepts a few dozen) is "other". */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Counts and times every answered request under its route PATTERN (Fastify's routeOptions.url,
 * such as /api/v1/cases/:id), never the URL asked for: ids, tokens and probes for unknown paths
 * must never become label values. A request no route matched is "unmatched".
 */
export function installRequestMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    recordHttpRequest({
      method: METHODS.has(request.method) ? request.method : 'other',
      route: request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched'),
      status: reply.statusCode,
      seconds: reply.elapsedTime / 1000,
    });
  });
}
