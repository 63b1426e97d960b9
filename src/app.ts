import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { addSecurityHeaders } from './http/security-headers.js';
import cookie from '@fastify/cookie';
import { registerWebApp } from './http/web-app.js';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { shiftedClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import type { AppDeps } from './deps.js';
import { installErrorHandling } from './http/error-handler.js';
import { ProblemSchema } from './http/problem-schema.js';
import { registerRoutes } from './http/register-routes.js';
import { installRouteGuard, type DeclaredRoute } from './http/route-guard.js';
import { apiRoutes } from './routes.js';
import { installSessions } from './http/session.js';
import { clientErrorHandler, frameworkErrors, installValidation } from './http/validation.js';
import { logSerializers, redactionPaths } from './http/log-redaction.js';
import { FileBlobStore } from './storage/file-blob-store.js';
import { openKeyManager } from './crypto/open-key-manager.js';
import { Vault } from './crypto/vault.js';
import { scheduleJobs } from './jobs/schedule.js';
import { openMailer } from './mail/mailer.js';
import { outboxWorker } from './modules/outbox/outbox-worker.js';
import { alertSink } from './modules/alerts/alert-sink.js';
import { exportWaker } from './modules/exports/export-waker.js';
import { startRefusalRecorder } from './http/rate-limit-events.js';
import { installRequestMetrics } from './http/request-metrics.js';
import type { KeyManager } from './crypto/key-manager.js';
import type { BlobStore } from './storage/blob-store.js';

export interface BuildOptions {
  config: Config;
  db?: Db;
  blobs?: BlobStore;
  clock?: Clock;
  /** Demo mode: may generate a master key in the data directory. */
  demo?: boolean;
  /** A key manager to use instead of the configured one. */
  keys?: KeyManager;
  /** Run the scheduled jobs (dormant accounts); only a serving process does. */
  jobs?: boolean;
}

export interface BuiltApp {
  app: FastifyInstance;
  deps: AppDeps;
  /** Every route the server serves, each with its declared policy. */
  routes: readonly DeclaredRoute[];
}

/**
 * The whole server, ready to listen: database migrated, every route guarded. Building touches no
 * stored file: sweeping what a crash left behind is the serving process's, under the data
 * directory's lock (main.ts), never a side effect of a command that only builds the app.
 */
export async function buildApp(options: BuildOptions): Promise<BuiltApp> {
  const { config } = options;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: redactionPaths, censor: '[redacted]' },
      serializers: logSerializers,
    },
    bodyLimit: 64 * 1024,
    // A body must arrive within this time: it bounds how long an upload can take, which is what
    // lets the periodic orphan sweep tell a leftover from an upload still on its way.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    // Only the reverse proxies named in CLOISON_TRUST_PROXY (none by default): request.ip is then
    // the client's, for rate limits and the audit log, and never an address a client made up.
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    // No implicit HEAD twins: every method the server answers is one the route table declares.
    exposeHeadRoutes: false,
    // Ids come from UUIDs; anything longer is hostile.
    routerOptions: { maxParamLength: 64 },
    frameworkErrors,
    clientErrorHandler,
  });
  installValidation(app);

  const db = options.db ?? openDatabase(config);
  await migrateToLatest(db);
  const blobs = options.blobs ?? new FileBlobStore(path.join(config.dataDir, 'blobs'));

  const keys =
    options.keys ??
    (await openKeyManager(config, {
      demo: options.demo ?? false,
      warn: (message) => app.log.warn(message),
    }));
  const vault = new Vault(keys);
  if (!options.keys) await vault.assertKeysMatch(db);
  const mailer = openMailer(config, { demo: options.demo ?? false, log: app.log });
  const alerts = alertSink(() => deps);
  const outbox = outboxWorker(() => deps);
  const deps: AppDeps = {
    config,
    db,
    blobs,
    clock: options.clock ?? shiftedClock(config.clockOffsetMs),
    log: app.log,
    keys,
    vault,
    mailer,
    alerts,
    outbox,
    exportJob: exportWaker(),
    allowLoopbackTargets: (options.demo ?? false) || process.env.NODE_ENV === 'test',
    publicOrigin: () => {
      if (config.publicUrl) return config.publicUrl;
      const address = app.server.address();
      const port = address && typeof address === 'object' ? address.port : config.port;
      return `http://localhost:${port}`;
    },
  };

  const routes = installRouteGuard(app);
  addSecurityHeaders(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, {
    limits: { fileSize: config.uploadMaxBytes + 1, files: 1, fields: 0 },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cloison API',
        version: '1',
        description: 'Portail MDPH : dossiers et pièces',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: '__Host-cloison_session' },
          integrationToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'An integration token `clo_<id>_<secret>`, never with a session cookie',
          },
        },
      },
    },
  });
  app.addSchema(ProblemSchema);
  const refusals = startRefusalRecorder(deps);
  installRequestMetrics(app);
  installSessions(app, deps);
  installErrorHandling(app, deps);
  registerRoutes(app, apiRoutes, deps);
  await registerWebApp(app);
  app.get(
    '/api/openapi.json',
    {
      config: { policy: { public: true, why: 'the API description holds no data' } },
      schema: { hide: true },
    },
    async () => app.swagger(),
  );
  // Fastify runs onClose hooks last registered first: this one, registered before the jobs',
  // closes the database once they have stopped.
  app.addHook('onClose', async () => {
    await refusals.stop();
    await alerts.stop();
    await outbox.stop();
    await mailer.close();
    await db.destroy();
    vault.forgetAll();
    await keys.close();
  });
  if (options.jobs) scheduleJobs(app, deps, { demo: options.demo ?? false });
  return { app, deps, routes };
}
