#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { databaseExists, openDatabase, openInMemoryDatabase } from './db/database.js';
import { migrations } from './db/migrations/index.js';
import { NewerDatabaseError, migrateToLatest, pendingMigrations } from './db/migrate.js';
import { seedDemo, demoAccountsPath } from './demo/seed.js';
import { MAX_SCALE, seedScale, type ScaleReport } from './demo/scale-seed.js';
import { keylessManager } from './crypto/keyless-manager.js';
import { KEYS_USAGE, runKeys } from './cli/keys.js';
import { CommandRefused } from './cli/command-refused.js';
import { runInit } from './cli/init.js';
import { TENANTS_USAGE, runTenants } from './cli/tenants.js';
import { BACKUP_USAGE, runBackupCommand } from './cli/backup.js';
import { EXPORTS_USAGE, runExports } from './cli/exports.js';
import { RETENTION_USAGE, runRetention } from './cli/retention.js';
import { CERTIFICATES_USAGE, runCertificates } from './cli/certificates.js';
import { MasterKeyError } from './crypto/master-key.js';
import { KeyUnavailableError } from './crypto/key-manager.js';
import { verifyAuditChains, type ChainReport } from './modules/audit/verify.js';
import { PLATFORM_CHAIN } from './modules/audit/audit-log.js';
import { shiftedClock } from './clock.js';
import { seedDecoys } from './modules/decoys/decoy-seed.js';
import { sweepOrphanBlobs } from './modules/documents/orphan-sweep.js';
import { DataDirLockedError, lockDataDir, type DataDirLock } from './storage/data-dir-lock.js';
import { noBlobStore } from './storage/no-blob-store.js';
import { hasAnyAccount } from './modules/platform/operator.repository.js';
import { startMetricsServer } from './metrics/metrics-server.js';

const USAGE = `cloison <command> [options]

Commands:
  init --operator "Prénom Nom <adresse>" [--link-file FILE]
                   create the platform in an empty data directory: schema, keyring and the
                   first operator account, whose one-time activation link is printed (or written
                   to FILE, mode 600); needs a master key file outside the data directory
                   (CLOISON_MASTER_KEY_FILE) or an HSM (CLOISON_KEY_MANAGER=pkcs11)
  tenants create|list|add-admin
                   départements, their first two admins, and a new admin for one left with
                   fewer than two (cloison tenants help)
  serve [--demo]   run the server (PORT, HOST, CLOISON_DATA_DIR...); --demo seeds demo data
                   into an empty database first; holds the data directory's lock
  demo [--scale N] seed demo data into an empty database and exit; --scale adds N cases (up to
                   1,000,000) over both départements, with persons, documents and history
  migrate [--dry-run]
                   apply pending database migrations (forward only) and exit; --dry-run lists
                   them and changes nothing; a database written by a newer Cloison is refused
  routes [--json]  list every route the server serves with the policy it declares (reads no
                   data directory)

serve, demo, migrate and decoys seed take the data directory's exclusive lock: while a server
runs on it, the others refuse (exit 75) and change nothing.
  keys ...         tenant keys: init-master, status, rotate, rewrap, retire (cloison keys help)
  decoys seed       give every département that has none its decoy case (listed nowhere;
                   any access to it raises a critical alert)
  audit verify [--witness FILE]
                   re-compute every audit hash chain (each tenant's and the platform's) and check
                   its signed checkpoints (and a witness file's copy) and retention markers;
                   exit 1 and say where it broke
${BACKUP_USAGE}${EXPORTS_USAGE}${RETENTION_USAGE}${CERTIFICATES_USAGE}  help             this text
`;

/**
 * Runs a command that writes the data directory under its exclusive lock; refuses at once when a
 * server (or another such command) holds it.
 */
async function underLock<T>(config: { dataDir: string }, run: () => Promise<T>): Promise<T> {
  const lock = lockDataDir(config.dataDir);
  try {
    return await run();
  } finally {
    lock.release();
  }
}

/** One line per chain: what `cloison audit verify` prints. */
function describeReport(r: ChainReport): string {
  const name = r.chain === PLATFORM_CHAIN ? 'platform' : `tenant ${r.chain}`;
  const total = r.purgedThrough + r.events;
  if (r.broken) return `${name}: BROKEN at event ${r.broken.seq} of ${total}: ${r.broken.reason}`;
  const purged = r.purgedThrough > 0 ? ` (events 1 to ${r.purgedThrough} purged by retention)` : '';
  const older =
    r.beforeRetention > 0 ? `, ${r.beforeRetention} older checkpoints are before retention` : '';
  return `${name}: ${r.events} events${purged}, chain intact, ${r.checkpoints} signed checkpoints match${older}`;
}

const SCALE_USAGE = `usage: cloison demo [--scale N]: N a whole number of cases from 1 to ${MAX_SCALE.toLocaleString('en')}`;

/** The N of `demo --scale N`; anything but a whole number in range is a usage error (exit 64). */
function parseScale(text: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_SCALE) throw new CommandRefused(SCALE_USAGE, 64);
  return n;
}

/** What `demo --scale` prints: counts and rates, nothing about any person. */
function describeScale(r: ScaleReport): string {
  const byTenant = Object.entries(r.casesByTenant)
    .map(([code, n]) => `${n} in ${code}`)
    .join(', ');
  return (
    `scale: ${r.cases} cases (${byTenant}), ${r.persons} persons, ${r.documents} documents, ` +
    `${r.messages} messages, ${r.notes} notes, ${r.events} audit events in ${r.seconds.toFixed(1)} s ` +
    `(${Math.round(r.casesPerSecond)} cases/s; person keys ${r.personKeySeconds.toFixed(1)} s, ` +
    `blobs ${r.blobSeconds.toFixed(1)} s)`
  );
}

/** parseArgs, with a mistyped option a usage error (exit 64) in one line, not a stack. */
const parseCommandLine: typeof parseArgs = (config) => {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) throw new CommandRefused((error as Error).message, 64);
    throw error;
  }
};

async function main(argv: string[]): Promise<number> {
  // Everything Cloison writes (database, blobs, keyring) is for its own account only.
  process.umask(0o077);
  const { positionals, values } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      tenant: { type: 'string' },
      version: { type: 'string' },
      out: { type: 'string' },
      witness: { type: 'string' },
      recipient: { type: 'string' },
      identity: { type: 'string' },
      from: { type: 'string' },
      force: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      operator: { type: 'string' },
      'link-file': { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'string', multiple: true },
      scale: { type: 'string' },
      'public-key': { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'help';
  if (command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === 'keys' && (positionals[1] ?? 'help') === 'help') {
    process.stdout.write(KEYS_USAGE);
    return 0;
  }
  if (command === 'tenants' && (positionals[1] ?? 'help') === 'help') {
    process.stdout.write(TENANTS_USAGE);
    return 0;
  }
  const config = loadConfig();

  switch (command) {
    case 'init':
      return runInit(config, { operator: values.operator, linkFile: values['link-file'] });
    case 'tenants':
      return runTenants(config, {
        command: positionals[1],
        code: values.code,
        name: values.name,
        admins: values.admin ?? [],
        linkFile: values['link-file'],
      });
    case 'migrate':
      return underLock(config, async () => {
        if (values['dry-run'] && !databaseExists(config)) {
          console.log(`would create the database and apply: ${Object.keys(migrations).join(', ')}`);
          return 0;
        }
        const db = openDatabase(config);
        try {
          if (values['dry-run']) {
            const pending = await pendingMigrations(db);
            console.log(
              pending.length ? `would apply: ${pending.join(', ')}` : 'database is up to date',
            );
            return 0;
          }
          const applied = await migrateToLatest(db);
          console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
          return 0;
        } finally {
          await db.destroy();
        }
      });
    case 'demo': {
      const scale = values.scale === undefined ? 0 : parseScale(values.scale);
      return underLock(config, async () => {
        const { app, deps } = await buildApp({ config, demo: true });
        try {
          const result = await seedDemo(deps, config.dataDir);
          if (!result.seeded) {
            console.log('database already holds data: nothing seeded');
            return 0;
          }
          console.log(`demo data written; accounts in ${demoAccountsPath(config.dataDir)}`);
          if (scale > 0) console.log(describeScale(await seedScale(deps, scale)));
          return 0;
        } finally {
          await app.close();
        }
      });
    }
    case 'keys':
      return runKeys(config, {
        command: positionals[1],
        tenant: values.tenant,
        version: values.version,
        out: values.out,
        force: values.force,
        demo: values.demo,
      });
    case 'exports':
      return runExports(config, {
        sub: positionals[1],
        target: positionals[2],
        identity: values.identity,
        publicKey: values['public-key'],
      });
    case 'certificates':
      return runCertificates(config, {
        sub: positionals[1],
        file: positionals[2],
        publicKey: values['public-key'],
      });
    case 'retention':
      return runRetention(config, {
        sub: positionals[1],
        tenant: values.tenant,
        json: values.json ?? false,
      });
    case 'backup':
    case 'restore':
      return runBackupCommand(config, {
        command,
        sub: positionals[1],
        file: positionals[2],
        out: values.out,
        recipient: values.recipient,
        identity: values.identity,
        from: values.from,
      });
    case 'decoys': {
      if (positionals[1] !== 'seed') {
        process.stderr.write(`unknown decoys command "${positionals[1] ?? ''}"\n\n${USAGE}`);
        return 64;
      }
      return underLock(config, async () => {
        const { app, deps } = await buildApp({ config });
        try {
          for (const d of await seedDecoys(deps, deps.clock.now())) {
            // Not the case id: on a terminal or in a log it is all someone needs to avoid it.
            console.log(
              `${d.tenant}: ${d.created ? 'decoy case seeded' : 'already has its decoy'}`,
            );
          }
          return 0;
        } finally {
          await app.close();
        }
      });
    }
    case 'audit': {
      if (positionals[1] !== 'verify') {
        process.stderr.write(`unknown audit command "${positionals[1] ?? ''}"\n\n${USAGE}`);
        return 64;
      }
      const db = openDatabase(config);
      try {
        // One read transaction: a snapshot, even while a server appends, checkpoints or purges.
        const reports = await db.transaction().execute((trx) =>
          verifyAuditChains(trx, {
            ...(values.witness ? { witnessFile: values.witness } : {}),
            now: shiftedClock(config.clockOffsetMs).now(),
            retentionDays: config.auditRetentionDays,
          }),
        );
        for (const r of reports) console.log(describeReport(r));
        return reports.some((r) => r.broken) ? 1 : 0;
      } finally {
        await db.destroy();
      }
    }
    case 'routes': {
      // Listing routes needs no key, no data and no lock: a key manager that refuses every use,
      // a database in memory and no blob store, so it can run beside a live server.
      const { app, routes } = await buildApp({
        config,
        keys: keylessManager(),
        db: openInMemoryDatabase(),
        blobs: noBlobStore,
      });
      await app.ready();
      await app.close();
      if (values.json) console.log(JSON.stringify(routes, null, 2));
      else
        for (const r of routes)
          console.log(`${r.method.padEnd(6)} ${r.url}  ${JSON.stringify(r.policy)}`);
      return 0;
    }
    case 'serve': {
      // A shifted clock is a testing tool: never on a real deployment.
      if (config.clockOffsetMs !== 0 && !values.demo && process.env.NODE_ENV !== 'test') {
        throw new ConfigError([
          'CLOISON_CLOCK_OFFSET is only accepted in demo mode (serve --demo) or with NODE_ENV=test',
        ]);
      }
      // Held until the process ends: no second server and no maintenance command that writes
      // can work on this data directory meanwhile.
      const lock: DataDirLock = lockDataDir(config.dataDir);
      const { app, deps } = await buildApp({ config, demo: values.demo, jobs: true });
      app.addHook('onClose', async () => lock.release());
      if (!values.demo && !(await hasAnyAccount(deps.db)))
        app.log.warn(
          'this data directory holds no platform yet: stop the server, run `cloison init`',
        );
      // Under the lock and before the first request, nothing is on its way in: every partial
      // file and unreferenced blob is a crash's leftover.
      const swept = await sweepOrphanBlobs(deps.db, deps.blobs);
      if (swept.temporaries + swept.orphans > 0)
        app.log.warn(swept, 'removed leftovers of an interrupted upload');
      if (values.demo) {
        const result = await seedDemo(deps, config.dataDir);
        if (result.seeded)
          app.log.info({ file: demoAccountsPath(config.dataDir) }, 'demo data seeded');
      }
      const stop = async (signal: string) => {
        app.log.info({ signal }, 'shutting down');
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      // Its own listener, never the public port's; closed with the app.
      if (config.metrics) {
        const metrics = await startMetricsServer(config.metrics);
        app.addHook('onClose', () => metrics.close());
        app.log.info({ metricsUrl: metrics.url }, 'metrics listening');
      }
      await app.listen({ host: config.host, port: config.port });
      return -1;
    }
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof CommandRefused) {
      console.error(error.message);
      process.exit(error.exitCode);
    }
    if (
      error instanceof ConfigError ||
      error instanceof MasterKeyError ||
      error instanceof KeyUnavailableError
    ) {
      console.error(error.message);
      process.exit(78);
    }
    if (error instanceof NewerDatabaseError) {
      console.error(error.message);
      // EX_DATAERR: the data is not for this version; no command of it may touch it.
      process.exit(65);
    }
    if (error instanceof DataDirLockedError) {
      console.error(error.message);
      // EX_TEMPFAIL: nothing is wrong with the command; it can run once the other one stops.
      process.exit(75);
    }
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
