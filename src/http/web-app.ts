import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { projectFile } from '../project-files.js';

/**
 * The Content-Security-Policy of the web application: its own scripts, styles and fonts only.
 * No inline script or style (no 'unsafe-inline', no nonce to leak), no eval, no third-party
 * origin; data: images only for the design system's small SVG backgrounds. The API keeps its
 * own `default-src 'none'; frame-ancestors 'none'` (helmet, app.ts).
 */
export const WEB_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Files under dist/web: hashed build outputs, fonts, favicon. Anything else is the app's page. */
const FILE_PATH = /^\/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.[a-z0-9]+$/;

/**
 * Serves the React application built by Vite into dist/web, from the same origin as the API
 * (the session cookie is SameSite=Strict and the page may only talk to 'self'). Any path that
 * is not an API path and not a file gets index.html: the router in the browser draws the page,
 * and every piece of data it shows comes from the API, which decides access again.
 */
export async function registerWebApp(app: FastifyInstance): Promise<void> {
  const root = projectFile('dist/web');
  // cacheControl off: the plugin would replace the headers set below by `max-age=0`.
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false });

  const sendIndex = (reply: FastifyReply) => {
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('L’interface web n’est pas construite : lancez « npm run build ».');
    }
    return reply
      .header('content-security-policy', WEB_CSP)
      .header('cache-control', 'no-cache')
      .sendFile('index.html', root);
  };

  app.get(
    '/*',
    {
      config: {
        policy: {
          public: true,
          why: 'the web application’s code, styles and fonts hold no data; its pages ask the API',
        },
      },
      schema: { hide: true },
    },
    async (request, reply) => {
      const url = request.url.split('?')[0] ?? '/';
      // An unknown API path answers like every API 404, never with the application's page.
      if (url === '/api' || url.startsWith('/api/')) return reply.callNotFound();
      // The metrics live on their own listener: a scraper pointed here by mistake gets a 404,
      // not a page it would take for an answer.
      if (url === '/metrics' || url.startsWith('/metrics/')) return reply.callNotFound();
      if (FILE_PATH.test(url) && !url.split('/').includes('..')) {
        const file = path.join(root, url);
        if (file.startsWith(root + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
          reply.header('content-security-policy', WEB_CSP);
          // Vite names its outputs by content hash: they never change under the same name.
          if (url.startsWith('/assets/')) {
            reply.header('cache-control', 'public, max-age=31536000, immutable');
          } else reply.header('cache-control', 'no-cache');
          return reply.sendFile(url.slice(1), root);
        }
        return reply.callNotFound();
      }
      return sendIndex(reply);
    },
  );
}
