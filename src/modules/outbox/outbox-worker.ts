import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { asUnitOfWork } from '../../db/durability.js';
import { outsideCommitHook } from '../../db/commit-hooks.js';
import {
  alertDeliveryQueueDepth,
  countOutboxOutcome,
  mailQueueDepth,
} from '../../metrics/metrics.js';
import {
  claimDueRows,
  closeRow,
  countWaitingByKind,
  deleteClosedRowsBefore,
  deleteSentRow,
  scheduleRetry,
  type OutboxRow,
} from './outbox.repository.js';
import { OutboxBounce, OutboxSkip, outboxErrorCode } from './outbox-errors.js';

/** How one kind of row leaves. */
export interface OutboxSender {
  /** Sends one claimed row; throws on failure (OutboxBounce, OutboxSkip, or anything to retry). */
  send(deps: AppDeps, row: OutboxRow): Promise<void>;
  /** Seconds to wait after the `attempts`-th failure, given the outbox's backoff; default it. */
  retrySeconds?(attempts: number, backoff: (attempts: number) => number): number;
}

export interface OutboxWorker {
  /** Rows were just committed: look soon. Does nothing until started. */
  nudge(): void;
  /**
   * Starts polling (a serving process, once listening), after `prepare` (the sealing keys made
   * durable, outside any request) has run.
   */
  start(senders: Record<OutboxRow['kind'], OutboxSender>, prepare: () => Promise<void>): void;
  /** Stops polling and waits for the pass under way; a row being sent is finished first. */
  stop(): Promise<void>;
  /** Resolves once the pass under way, if any, is over. */
  idle(): Promise<void>;
}

/** Tries before a row is given up (dead): about nine hours of waits with the defaults. */
export const MAX_ATTEMPTS = 10;
/** Longest wait between two tries. */
const MAX_BACKOFF_SECONDS = 3_600;
/** A row being sent is the worker's this long; a crash mid-send is retried once it runs out. */
const LEASE_MS = 120_000;
/** Longest wait for one try: a server that accepts and stalls would hold the row for minutes. */
const ATTEMPT_TIMEOUT_MS = 30_000;
/** Rows taken per claim; sent side by side, so a slow receiver delays only its own rows. */
const BATCH = 20;
const POLL_MS = 1_000;
const NUDGE_DELAY_MS = 20;
/** Traces of bounced and dead rows are kept this long for the operator. */
const CLOSED_KEPT_MS = 30 * 24 * 3_600_000;

/** Seconds to wait after the `attempts`-th failed try: base, doubling, capped. */
export function backoffSeconds(baseSeconds: number, attempts: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_SECONDS);
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The outbox's worker: one pass at a time, on a timer and whenever a commit that queued rows
 * nudges it. Each pass claims due rows under a lease (in a unit of work: nothing is sent before
 * the claim is on disk), sends them, and records each outcome. Logs carry the row id, its topic,
 * the account id and an error code; never an address, a URL or a body.
 */
export function outboxWorker(getDeps: () => AppDeps): OutboxWorker {
  let senders: Record<OutboxRow['kind'], OutboxSender> | null = null;
  let running: Promise<void> | null = null;
  let rerun = false;
  let poll: NodeJS.Timeout | null = null;
  let soon: NodeJS.Timeout | null = null;
  let lastSweep = 0;

  const settle = async (deps: AppDeps, row: OutboxRow, owner: string) => {
    const sender = senders![row.kind];
    const now = () => deps.clock.now().toISOString();
    const who = { outbox: row.id, topic: row.topic, account: row.account_id ?? undefined };
    try {
      await within(sender.send(deps, row), ATTEMPT_TIMEOUT_MS);
      await asUnitOfWork(() => deleteSentRow(deps.db, row.id, owner));
      countOutboxOutcome(row.kind, 'sent');
      deps.log.info({ ...who, attempts: row.attempts }, 'outbox: delivered');
    } catch (error) {
      const code = outboxErrorCode(error);
      if (error instanceof OutboxSkip) {
        await asUnitOfWork(() => deleteSentRow(deps.db, row.id, owner));
        deps.log.info({ ...who, code }, 'outbox: nothing to send, dropped');
      } else if (error instanceof OutboxBounce) {
        await asUnitOfWork(() =>
          closeRow(deps.db, row.id, owner, { status: 'bounced', code, now: now() }),
        );
        countOutboxOutcome(row.kind, 'bounced');
        deps.log.warn({ ...who, code }, 'outbox: refused by the receiving server (bounce)');
      } else if (row.attempts >= MAX_ATTEMPTS) {
        await asUnitOfWork(() =>
          closeRow(deps.db, row.id, owner, { status: 'dead', code, now: now() }),
        );
        countOutboxOutcome(row.kind, 'dead');
        deps.log.error({ ...who, code, attempts: row.attempts }, 'outbox: given up (dead)');
      } else {
        const backoff = (n: number) => backoffSeconds(deps.config.outboxRetrySeconds, n);
        const wait = sender.retrySeconds
          ? sender.retrySeconds(row.attempts, backoff)
          : backoff(row.attempts);
        const next = new Date(deps.clock.now().getTime() + wait * 1000).toISOString();
        await asUnitOfWork(() =>
          scheduleRetry(deps.db, row.id, owner, { nextAttemptAt: next, code, now: now() }),
        );
        countOutboxOutcome(row.kind, 'failed');
        deps.log.warn(
          { ...who, code, attempts: row.attempts, retryInSeconds: wait },
          'outbox: delivery failed, will retry',
        );
      }
    }
  };

  const pass = async () => {
    const deps = getDeps();
    try {
      for (let more = true; more && senders;) {
        const owner = randomUUID();
        const now = deps.clock.now();
        const rows = await asUnitOfWork(() =>
          claimDueRows(deps.db, {
            now: now.toISOString(),
            owner,
            leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
            limit: BATCH,
          }),
        );
        // One recipient's mails leave in the order they were queued (the last reset link is the
        // last mail read); different recipients and channels are served side by side.
        const inOrder = [...rows].sort((a, b) => a.created_at.localeCompare(b.created_at));
        const byRecipient = new Map<string, typeof rows>();
        for (const row of inOrder) {
          const key = row.account_id ?? row.channel_id ?? row.id;
          byRecipient.set(key, [...(byRecipient.get(key) ?? []), row]);
        }
        await Promise.all(
          [...byRecipient.values()].map(async (queue) => {
            for (const row of queue) {
              await settle(deps, row, owner).catch((error: unknown) =>
                deps.log.error(
                  { outbox: row.id, code: outboxErrorCode(error) },
                  'outbox: outcome not recorded',
                ),
              );
            }
          }),
        );
        more = rows.length === BATCH;
      }
      if (Date.now() - lastSweep > 3_600_000) {
        lastSweep = Date.now();
        const before = new Date(deps.clock.now().getTime() - CLOSED_KEPT_MS).toISOString();
        await asUnitOfWork(() => deleteClosedRowsBefore(deps.db, before));
      }
      const depth = await countWaitingByKind(deps.db);
      mailQueueDepth.set(depth.mail);
      alertDeliveryQueueDepth.set(depth.alert);
    } catch (error) {
      deps.log.error({ code: outboxErrorCode(error) }, 'outbox pass failed');
    }
  };

  const run = () => {
    if (!senders) return;
    if (running) {
      rerun = true;
      return;
    }
    running = pass().finally(() => {
      running = null;
      if (rerun) {
        rerun = false;
        schedule(NUDGE_DELAY_MS);
      }
    });
  };
  const schedule = (ms: number) => {
    if (!senders || soon) return;
    soon = setTimeout(() => {
      soon = null;
      run();
    }, ms);
    soon.unref();
  };

  return {
    // Outside the nudging request's unit: the pass's commits are its own.
    nudge: () => outsideCommitHook(() => schedule(NUDGE_DELAY_MS)),
    start(given, prepare) {
      if (senders) return;
      senders = given;
      outsideCommitHook(() => {
        poll = setInterval(run, POLL_MS);
        poll.unref();
        // The first pass waits for the keys; later ones find them made.
        running = prepare()
          .catch((error: unknown) =>
            getDeps().log.error({ code: outboxErrorCode(error) }, 'outbox keys not prepared'),
          )
          .then(() => {
            running = null;
            run();
          });
      });
    },
    async stop() {
      senders = null;
      if (poll) clearInterval(poll);
      if (soon) clearTimeout(soon);
      poll = soon = null;
      await running;
    },
    async idle() {
      await running;
    },
  };
}
