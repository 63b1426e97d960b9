import type { FastifyRequest } from 'fastify';

/**
 * What a request looks like in the logs: method, the route pattern and the path without its
 * query string (a NIR search would otherwise write the NIR), the client address. Never headers,
 * never bodies.
 */
export const logSerializers = {
  req(request: FastifyRequest) {
    return {
      method: request.method,
      url: request.url.split('?')[0],
      route: request.routeOptions?.url,
      remoteAddress: request.ip,
    };
  },
};

/**
 * What pino must never write. Bodies are not logged at all; these paths cover the places a
 * secret or a personal value could still appear (headers, errors quoting input).
 */
export const redactionPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'body',
  'req.body',
  'password',
  '*.password',
  'email',
  '*.email',
];
