/**
 * The layers of src/, checked in `npm test` (`npm run check:layers`). Lowest first:
 *   errors, clock, config           the foundation: imports nothing of the application
 *   db, crypto, storage, mail,      infrastructure: knows tables and bytes, no rule, no request
 *   metrics                         (metrics: the Prometheus registry and its listener, which
 *                                   every layer above counts into)
 *   policy                          pure rules: the actor, the action, the facts; nothing else
 *   modules (services, repositories) the domain; no Fastify, no http
 *   http, modules' *.routes.ts      the web layer: plugins, helpers, thin routes
 *   routes.ts, app.ts, jobs, demo, cli, main.ts   the top: assembly and commands
 * `import type` is ignored for the layers (types describe, they do not run), with two exceptions:
 * nothing below the routes may even name a Fastify request or reply, and src/policy imports no
 * type from above it either (its facts are its own).
 */
const FOUNDATION = '^src/(errors|clock|config|project-files)\\.ts$|^src/config/';
// metrics/ is infrastructure: counters know no rule and no request, and the domain (audit
// appends, alert delivery) and the mailer count into them.
const INFRASTRUCTURE = '^src/(db|crypto|storage|mail|metrics)/';
const TOP = '^src/(routes|app|main|deps)\\.ts$|^src/(jobs|demo|cli)/';
const ROUTES = '\\.routes\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'A value-import cycle: one of these modules must move down a layer.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'foundation-imports-nothing-above',
      severity: 'error',
      from: { path: FOUNDATION },
      to: { path: '^src/', pathNot: FOUNDATION, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'infrastructure-below-rules-and-domain',
      severity: 'error',
      from: { path: INFRASTRUCTURE },
      to: {
        path: `^src/(policy|modules|http)/|${TOP}`,
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'policy-is-pure',
      comment: 'src/policy decides from the facts it is given: no database, no module, no http.',
      severity: 'error',
      from: { path: '^src/policy/' },
      to: { path: '^src/', pathNot: `^src/policy/|${FOUNDATION}` },
    },
    {
      name: 'domain-below-http',
      comment: 'Services and repositories know no http: routes and src/http translate.',
      severity: 'error',
      from: { path: '^src/modules/', pathNot: ROUTES },
      to: { path: `^src/http/|${ROUTES}|${TOP}`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-fastify-below-routes',
      comment:
        'Only routes, src/http and the assembly (app, jobs on its lifecycle) speak Fastify; services take a RequestContext.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: `^src/http/|${ROUTES}|^src/(routes|app|main)\\.ts$|^src/jobs/`,
      },
      to: { path: '^node_modules/(fastify|@fastify)/' },
    },
    {
      name: 'http-below-the-top',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: TOP, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'demo-is-top',
      comment: 'Production code never runs on demo code.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(demo/|main\\.ts$|cli/)' },
      to: { path: '^src/demo/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
