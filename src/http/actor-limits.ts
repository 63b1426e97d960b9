import type { Actor } from '../policy/actor.js';

/** How much one account or token may ask of the server (config: CLOISON_ACCOUNT_*). */
export interface ActorLimitSettings {
  /** Requests in flight at once. */
  readonly concurrent: number;
  /** Requests per minute, sustained; a quarter of it may come in one burst. */
  readonly perMinute: number;
}

export type Admission =
  | { readonly admitted: true; readonly release: () => void }
  | {
      readonly admitted: false;
      readonly limit: 'concurrency' | 'rate';
      readonly retryAfterSeconds: number;
    };

interface Budget {
  tokens: number;
  refilledAt: number;
  inFlight: number;
}

/** Past this many tracked actors, the idle ones (full bucket, nothing in flight) are dropped. */
const PRUNE_ABOVE = 20_000;

/**
 * Fair shares between actors: each account or integration token has a few requests in flight at
 * most and a token bucket of requests per minute. Without it, one session opening dozens of
 * connections fills the queue in front of the database and every other user waits behind it.
 * Kept in memory: it is about this process's capacity, and a restart forgets nothing that
 * matters.
 */
export class ActorLimiter {
  private readonly budgets = new Map<string, Budget>();
  private readonly capacity: number;
  private readonly refillPerMs: number;

  constructor(private readonly settings: ActorLimitSettings) {
    this.capacity = Math.max(1, Math.floor(settings.perMinute / 4));
    this.refillPerMs = settings.perMinute / 60_000;
  }

  /** Takes a place for one request of the actor, or says how long to wait. */
  admit(key: string, now = Date.now()): Admission {
    const budget = this.budgetOf(key, now);
    if (budget.inFlight >= this.settings.concurrent)
      return { admitted: false, limit: 'concurrency', retryAfterSeconds: 1 };
    if (budget.tokens < 1) {
      const waitMs = (1 - budget.tokens) / this.refillPerMs;
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      return { admitted: false, limit: 'rate', retryAfterSeconds };
    }
    budget.tokens -= 1;
    budget.inFlight += 1;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        budget.inFlight -= 1;
      },
    };
  }

  private budgetOf(key: string, now: number): Budget {
    let budget = this.budgets.get(key);
    if (!budget) {
      if (this.budgets.size >= PRUNE_ABOVE) this.prune(now);
      budget = { tokens: this.capacity, refilledAt: now, inFlight: 0 };
      this.budgets.set(key, budget);
      return budget;
    }
    const elapsed = Math.max(0, now - budget.refilledAt);
    budget.tokens = Math.min(this.capacity, budget.tokens + elapsed * this.refillPerMs);
    budget.refilledAt = now;
    return budget;
  }

  private prune(now: number): void {
    for (const [key, budget] of this.budgets) {
      const tokens = budget.tokens + (now - budget.refilledAt) * this.refillPerMs;
      if (budget.inFlight === 0 && tokens >= this.capacity) this.budgets.delete(key);
    }
  }
}

/** Whose budget a request spends: the account, or the integration token; none for nobody. */
export function actorSubjectKey(actor: Actor): string | null {
  switch (actor.kind) {
    case 'anonymous':
      return null;
    case 'integration':
      return `token:${actor.tokenId}`;
    default:
      return `account:${actor.accountId}`;
  }
}
