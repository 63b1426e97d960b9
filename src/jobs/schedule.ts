import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import { disableDormantStaff } from '../modules/accounts/account-lifecycle.js';
import { recordSecurityEvent } from '../modules/events/security-events.js';
import { endDueRolesJob } from '../modules/staff/role-lapse.js';
import { checkpointChains } from '../modules/audit/checkpoints.js';
import { purgeExpiredAuditEvents } from '../modules/audit/retention.js';
import { verifyAndRecord } from '../modules/audit/verification-job.js';
import { deliverToWitness } from '../modules/audit/witness.js';
import { sweepOrphanBlobs } from '../modules/documents/orphan-sweep.js';
import { keepPiecesDeadlines } from '../modules/cases/case-deadline.service.js';
import { remindRenewals } from '../modules/cases/renewal-reminder.service.js';
import { scheduleBackups } from './scheduled-backup.js';
import { signPendingCertificates } from '../modules/erasure/erasure-certificate.js';
import { ExportRunStopped, runExports } from '../modules/exports/export-run.js';
import { exportProcessRunner } from './export-process.js';
import { countJobRun } from '../metrics/metrics.js';
import { sendQueuedMail } from '../modules/outbox/mail-sender.js';
import { prepareOutboxKeys } from '../modules/outbox/outbox-seal.js';
import { listTenantIds } from '../modules/tenants/tenant.repository.js';
import { alertRetrySeconds, sendQueuedAlert } from '../modules/alerts/alert-outbox.js';

const HOUR = 3_600_000;

/** Dormant staff accounts: disabled at start, then every hour. */
async function dormancyJob(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const ids = await disableDormantStaff(deps);
  for (const id of ids) {
    await recordSecurityEvent(deps, null, {
      kind: 'account.disabled',
      actor: { kind: 'anonymous' },
      objectType: 'account',
      objectId: id,
      detail: { reason: 'dormant', days: deps.config.dormantDays },
    });
  }
  if (ids.length > 0) app.log.info({ count: ids.length }, 'dormant staff accounts disabled');
}

/**
 * Leftovers of uploads that failed while serving (a blob whose row could not be written and
 * whose deletion failed too): only what was last written more than twice the longest possible
 * upload ago, by the real clock, since file times are real even when the server's is shifted.
 */
async function orphanSweepJob(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const writtenBefore = new Date(Date.now() - 2 * deps.config.requestTimeoutSeconds * 1000);
  const swept = await sweepOrphanBlobs(deps.db, deps.blobs, { writtenBefore });
  if (swept.temporaries + swept.orphans > 0)
    app.log.warn(swept, 'removed leftovers of failed uploads');
}

/** Temporary grants past their expiry and roles unreviewed at a deadline: written down. */
async function roleLapseJob(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { ended, closed } = await endDueRolesJob(deps);
  if (ended + closed > 0) app.log.info({ ended, closed }, 'expired and lapsed roles ended');
}

/** Missing-pieces deadlines: the reminder seven days before, the lapse the day after. */
async function piecesDeadlineJob(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { reminded, lapsed } = await keepPiecesDeadlines(deps);
  if (reminded + lapsed > 0) app.log.info({ reminded, lapsed }, 'missing-pieces deadlines kept');
}

/** Granted rights nearing their end: the renewal reminder, once per case. */
async function renewalReminderJob(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const reminded = await remindRenewals(deps);
  if (reminded > 0) app.log.info({ cases: reminded }, 'renewal reminders sent');
}

/** Starts the scheduled jobs of a serving process; they stop with the server. */
export function scheduleJobs(
  app: FastifyInstance,
  deps: AppDeps,
  options: { demo: boolean },
): void {
  // The detection rules over the audit log (stopped in buildApp's onClose).
  app.addHook('onListen', async () => deps.alerts.start());
  // What the outbox holds leaves from here: mails and alert deliveries (stopped in onClose).
  app.addHook('onListen', async () =>
    deps.outbox.start(
      {
        mail: { send: sendQueuedMail },
        alert: { send: sendQueuedAlert, retrySeconds: alertRetrySeconds },
      },
      async () => prepareOutboxKeys(deps, deps.db, await listTenantIds(deps.db)),
    ),
  );

  // The audit log's own jobs run one at a time: verification must not read a chain halfway
  // through a purge, and a purge checkpoints the chain it cuts.
  let auditQueue: Promise<unknown> = Promise.resolve();
  const pending = new Set<string>();
  const serially = (name: string, job: () => Promise<unknown>) => {
    if (pending.has(name)) return;
    pending.add(name);
    auditQueue = auditQueue
      // Counted as audit-checkpoint, audit-verification...: the name, in a metric's spelling.
      .then(() => countJobRun(name.replaceAll(' ', '-'), job))
      .catch((error: unknown) =>
        app.log.error(
          { err: error instanceof Error ? error.message : String(error) },
          `${name} failed`,
        ),
      )
      .finally(() => pending.delete(name));
  };
  // Signed checkpoints: often, so that a rewrite of the database shows soon; then the HTTP
  // witness gets what it has not accepted yet.
  const checkpoint = () =>
    serially('audit checkpoint', async () => {
      await checkpointChains(deps);
      await deliverToWitness(deps);
    });
  const verify = () => serially('audit verification', () => verifyAndRecord(deps));
  const purge = () =>
    serially('audit retention', async () => {
      const purged = await purgeExpiredAuditEvents(deps);
      for (const p of purged) app.log.info(p, 'expired audit events purged');
    });
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, job: () => void) => {
    const t = setInterval(job, ms);
    t.unref();
    timers.push(t);
  };
  app.addHook('onListen', async () => {
    purge();
    verify();
    every(deps.config.auditCheckpointSeconds * 1000, checkpoint);
    every(deps.config.auditVerifySeconds * 1000, verify);
    every(24 * HOUR, purge);
  });
  app.addHook('onClose', async () => {
    for (const t of timers) clearInterval(t);
    await auditQueue;
  });

  const run = async () => {
    await countJobRun('dormancy', () => dormancyJob(app, deps)).catch((error: unknown) =>
      app.log.error({ err: error }, 'dormancy job failed'),
    );
    await countJobRun('role-lapse', () => roleLapseJob(app, deps)).catch((error: unknown) =>
      app.log.error({ err: error }, 'role lapse job failed'),
    );
    await countJobRun('orphan-sweep', () => orphanSweepJob(app, deps)).catch((error: unknown) =>
      app.log.error({ err: error }, 'orphan sweep failed'),
    );
    await countJobRun('pieces-deadline', () => piecesDeadlineJob(app, deps)).catch(
      (error: unknown) => app.log.error({ err: error }, 'pieces deadline job failed'),
    );
    await countJobRun('renewal-reminder', () => renewalReminderJob(app, deps)).catch(
      (error: unknown) => app.log.error({ err: error }, 'renewal reminder job failed'),
    );
    await countJobRun('certificate-signing', async () => {
      const signed = await signPendingCertificates(deps);
      if (signed > 0) app.log.info({ signed }, 'erasure certificates signed');
    }).catch((error: unknown) => app.log.error({ err: error }, 'certificate signing failed'));
  };
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onListen', async () => {
    await run();
    timer = setInterval(() => void run(), HOUR);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });

  scheduleBackups(app, deps);
  scheduleExports(app, deps, options);
}

/**
 * How often approved exports are looked for; an approval starts the job at once, so this only
 * matters for a run left by a process that stopped, and for expiries.
 */
const EXPORT_POLL_MS = 3_000;

/**
 * Approved exports run here, one at a time, each in a process of its own, then expired files
 * are deleted. An export is a long job: it never runs inside a request, and a process that
 * stops mid-run starts it again.
 */
function scheduleExports(app: FastifyInstance, deps: AppDeps, options: { demo: boolean }): void {
  const runner = exportProcessRunner(options);
  let running: Promise<void> | null = null;
  let again = false;
  const tick = () => {
    if (running) {
      // Approved while a run goes on: looked for again as soon as it ends.
      again = true;
      return;
    }
    again = false;
    running = countJobRun('exports', async () => {
      const { ready, failed } = await runExports(deps, runner.produce);
      if (ready + failed > 0) app.log.info({ ready, failed }, 'export runs finished');
    })
      .catch((error: unknown) => {
        if (!(error instanceof ExportRunStopped))
          app.log.error({ err: error }, 'export job failed');
      })
      .finally(() => {
        running = null;
        if (again) tick();
      });
  };
  let timer: NodeJS.Timeout | null = null;
  let closing = false;
  app.addHook('onListen', async () => {
    deps.exportJob.onWake(() => {
      if (!closing) tick();
    });
    tick();
    timer = setInterval(tick, EXPORT_POLL_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    closing = true;
    again = false;
    if (timer) clearInterval(timer);
    await runner.stop();
    await running;
  });
}
