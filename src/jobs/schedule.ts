import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import { disableDormantStaff } from '../modules/accounts/account-lifecycle.js';
import { recordSecurityEvent } from '../modules/events/security-events.js';
import { endDueRolesJob } from '../modules/staff/role-lapse.js';
import { checkpointChains } from '../modules/audit/checkpoints.js';

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

/** Temporary grants past their expiry and roles unreviewed at a deadline: written down. */
async function roleLapseJob(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { ended, closed } = await endDueRolesJob(deps);
  if (ended + closed > 0) app.log.info({ ended, closed }, 'expired and lapsed roles ended');
}

/** Starts the scheduled jobs of a serving process; they stop with the server. */
export function scheduleJobs(app: FastifyInstance, deps: AppDeps): void {
  // The detection rules over the audit log (stopped in buildApp's onClose).
  app.addHook('onListen', async () => deps.alerts.start());

  // Signed checkpoints of the audit log: often, so that a rewrite of the database shows soon.
  let checkpointing = false;
  const checkpoint = async () => {
    if (checkpointing) return;
    checkpointing = true;
    await checkpointChains(deps)
      .catch((error: unknown) => app.log.error({ err: error }, 'audit checkpoint failed'))
      .finally(() => (checkpointing = false));
  };
  let checkpointTimer: NodeJS.Timeout | null = null;
  app.addHook('onListen', async () => {
    checkpointTimer = setInterval(
      () => void checkpoint(),
      deps.config.auditCheckpointSeconds * 1000,
    );
    checkpointTimer.unref();
  });
  app.addHook('onClose', async () => {
    if (checkpointTimer) clearInterval(checkpointTimer);
  });

  const run = async () => {
    await dormancyJob(app, deps).catch((error: unknown) =>
      app.log.error({ err: error }, 'dormancy job failed'),
    );
    await roleLapseJob(app, deps).catch((error: unknown) =>
      app.log.error({ err: error }, 'role lapse job failed'),
    );
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
}
