import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { recordSecurityEvent } from '../modules/events/security-events.js';
import type { Actor } from '../policy/actor.js';
import { actorSubjectKey } from './actor-limits.js';
import { contextOf } from './request-context.js';
import type { RequestContext } from '../modules/request-context.js';

type Limit = 'account-concurrency' | 'account-rate' | 'address';

/**
 * Refusals of one subject recorded one by one per minute: more than any refusal-burst threshold
 * needs to fire, few enough that a flood cannot fill the log. The rest are counted into the
 * next recorded one.
 */
const RECORDED_PER_MINUTE = 120;
/** How often the refusals waiting are written, all in one transaction. */
const FLUSH_MS = 200;

interface Tally {
  windowStart: number;
  recorded: number;
  suppressed: number;
}

interface Pending {
  readonly actor: Actor;
  readonly origin: RequestContext;
  readonly limit: Limit;
  readonly notRecordedBefore: number;
}

/**
 * Writes rate-limit refusals in batches. A 429 must cost the server almost nothing, or the
 * limit protects no one: recorded one durable commit each, the refused flood would queue in
 * front of the database exactly as the admitted one did. So the answer does not wait; what was
 * refused in the last 200 ms is written together, in the same tables and chain as every other
 * security event, where the refusal-burst rule counts them one by one.
 */
class RefusalRecorder {
  private readonly tallies = new Map<string, Tally>();
  private pending: Pending[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: AppDeps) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  note(request: FastifyRequest, limit: Limit): void {
    const key = actorSubjectKey(request.actor) ?? `address:${request.ip}`;
    const now = Date.now();
    let tally = this.tallies.get(key);
    if (!tally || now - tally.windowStart >= 60_000) {
      if (this.tallies.size > 10_000) this.tallies.clear();
      tally = { windowStart: now, recorded: 0, suppressed: tally?.suppressed ?? 0 };
      this.tallies.set(key, tally);
    }
    if (tally.recorded >= RECORDED_PER_MINUTE) {
      tally.suppressed += 1;
      return;
    }
    tally.recorded += 1;
    this.pending.push({
      actor: request.actor,
      origin: contextOf(request),
      limit,
      notRecordedBefore: tally.suppressed,
    });
    tally.suppressed = 0;
  }

  /** Writes what is waiting; resolves once it is durable. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const batch = this.pending;
      if (batch.length === 0) return;
      this.pending = [];
      await this.deps.db.transaction().execute(async (trx) => {
        const inTrx = { ...this.deps, db: trx };
        for (const p of batch) {
          await recordSecurityEvent(inTrx, p.origin, {
            kind: 'request.rate-limited',
            actor: p.actor,
            detail: {
              limit: p.limit,
              ...(p.notRecordedBefore > 0 ? { notRecordedBefore: p.notRecordedBefore } : {}),
            },
          });
        }
      });
      this.deps.alerts.wake();
    });
    return this.writing.catch((error: unknown) =>
      this.deps.log.error({ err: error }, 'could not record rate-limit refusals'),
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

const recorders = new WeakMap<AppDeps, RefusalRecorder>();

/** Starts the batch writer of a built app (outside any request, so no request's context). */
export function startRefusalRecorder(deps: AppDeps): { stop(): Promise<void> } {
  const recorder = new RefusalRecorder(deps);
  recorders.set(deps, recorder);
  return recorder;
}

/** Notes a request refused by a rate limit; it is recorded within a fraction of a second. */
export function recordRateLimited(deps: AppDeps, request: FastifyRequest, limit: Limit): void {
  recorders.get(deps)?.note(request, limit);
}
