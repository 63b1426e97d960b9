import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * The security headers of every answer (README). The middleware is built once: @fastify/helmet
 * builds it again on every request, re-parsing the policy each time, which cost 3 % of the CPU
 * of a signed-in JSON request under load.
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  const apply = helmet({
    // The API loads nothing: only these two directives (README), and not helmet's defaults,
    // which would allow styles, fonts and images from any https: origin and upgrade requests.
    // The web application's pages set their own policy (web-app.ts).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // Framed by no one, as frame-ancestors says, for browsers that only know this header.
    frameguard: { action: 'deny' },
  });
  app.addHook('onRequest', (request, reply, done) => {
    // helmet throws its errors rather than passing them to the callback.
    try {
      apply(request.raw, reply.raw, () => done());
    } catch (error) {
      done(error as Error);
    }
  });
}
