import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's metrics, in a registry of its own (not prom-client's global one, which any
 * dependency could fill). Label sets are bounded by construction: a route PATTERN, a method, a
 * status, a job's fixed name. Nothing personal is ever a label value: no id, e-mail, address or
 * tenant name. Served only by the metrics listener (metrics-server.ts), never on the public port.
 */
export const metricsRegistry = new Registry();

const httpRequests = new Counter({
  name: 'cloison_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

const httpRequestDuration = new Histogram({
  name: 'cloison_http_request_duration_seconds',
  help: 'Time from the request received to the answer sent, by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

const auditAppend = new Histogram({
  name: 'cloison_audit_append_seconds',
  help: 'Time of one append to an audit hash chain (read the last link, insert the event)',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers: [metricsRegistry],
});

const groupCommits = new Histogram({
  name: 'cloison_db_group_commit_units',
  help: 'Units of work (requests) made durable together by one write to disk (commit and fsync)',
  buckets: [1, 2, 5, 10, 20, 50, 100, 200],
  registers: [metricsRegistry],
});

const jobRuns = new Counter({
  name: 'cloison_job_runs_total',
  help: 'Scheduled job runs finished, failed ones included',
  labelNames: ['job'] as const,
  registers: [metricsRegistry],
});

const jobFailures = new Counter({
  name: 'cloison_job_failures_total',
  help: 'Scheduled job runs that failed',
  labelNames: ['job'] as const,
  registers: [metricsRegistry],
});

/** Mails in the outbox not sent yet (pending or being sent), set by the outbox worker. */
export const mailQueueDepth = new Gauge({
  name: 'cloison_mail_queue_depth',
  help: 'E-mails waiting in the outbox (pending or being sent)',
  registers: [metricsRegistry],
});

/** Alert deliveries in the outbox not done yet, set by the outbox worker. */
export const alertDeliveryQueueDepth = new Gauge({
  name: 'cloison_alert_delivery_queue_depth',
  help: 'Alert deliveries waiting in the outbox (pending or being sent), retries included',
  registers: [metricsRegistry],
});

const outboxOutcomes = new Counter({
  name: 'cloison_outbox_deliveries_total',
  help: 'Outbox delivery attempts by kind (mail, alert) and outcome (sent, failed, bounced, dead)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [metricsRegistry],
});

/** Counts one outcome of an outbox delivery attempt (failed: to be retried). */
export function countOutboxOutcome(
  kind: 'mail' | 'alert',
  outcome: 'sent' | 'failed' | 'bounced' | 'dead',
): void {
  outboxOutcomes.inc({ kind, outcome });
}

/**
 * Counts one answered request. `route` is the route's pattern (/api/v1/cases/:id) or
 * "unmatched", never the URL asked for: ids must never become label values.
 */
export function recordHttpRequest(request: {
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
}): void {
  const { method, route, status, seconds } = request;
  httpRequests.inc({ method, route, status: String(status) });
  httpRequestDuration.observe({ method, route }, seconds);
}

/** Runs one audit append and records how long it took, whether it succeeded or not. */
export async function timeAuditAppend<T>(append: () => Promise<T>): Promise<T> {
  const end = auditAppend.startTimer();
  try {
    return await append();
  } finally {
    end();
  }
}

/** Counts one group commit and how many units of work it made durable together. */
export function countGroupCommit(units: number): void {
  groupCommits.observe(units);
}

/**
 * Runs one scheduled job and counts it under `job`, a fixed name chosen in code (never data);
 * a failure is counted, then rethrown for the caller to log.
 */
export async function countJobRun<T>(job: string, run: () => Promise<T>): Promise<T> {
  // The failure series exists from the first run on, at 0: a rate over it is never "no data".
  jobFailures.inc({ job }, 0);
  try {
    return await run();
  } catch (error) {
    jobFailures.inc({ job });
    throw error;
  } finally {
    jobRuns.inc({ job });
  }
}

/** What a scrape-time gauge reads: a number, or null when there is no value yet. */
export type ScrapeReading = number | null;

export interface ScrapeGaugeOptions {
  /** A Prometheus metric name of Cloison's: `cloison_` then [a-z0-9_], unit last (`_seconds`). */
  readonly name: `cloison_${string}`;
  readonly help: string;
  /**
   * Called at every scrape; must be cheap (a scrape waits for it) and must not depend on
   * personal data. null (nothing to report yet) and a throw are reported as NaN; a throw never
   * fails the scrape.
   */
  readonly read: () => ScrapeReading | Promise<ScrapeReading>;
}

const scrapeReaders = new Map<string, ScrapeGaugeOptions['read']>();
const METRIC_NAME = /^cloison_[a-z0-9_]+$/;

/**
 * Adds a gauge without labels whose value is computed when Prometheus scrapes, for values that
 * are cheaper to look up than to keep current (the age of the last backup, in seconds). Calling
 * it again with the same name replaces the reader: the latest one built (a process that builds
 * the app twice) is the one read.
 *
 * ```ts
 * registerScrapeGauge({
 *   name: 'cloison_backup_last_success_age_seconds',
 *   help: 'Seconds since the last backup that completed',
 *   read: async () => { const at = await lastBackupAt(); return at ? (Date.now() - at) / 1000 : null; },
 * });
 * ```
 */
export function registerScrapeGauge(options: ScrapeGaugeOptions): void {
  const { name, help, read } = options;
  if (!METRIC_NAME.test(name)) throw new RangeError(`invalid metric name ${name}`);
  const known = scrapeReaders.has(name);
  scrapeReaders.set(name, read);
  if (known) return;
  new Gauge({
    name,
    help,
    registers: [metricsRegistry],
    async collect() {
      let value: ScrapeReading;
      try {
        value = await scrapeReaders.get(name)!();
      } catch {
        value = null;
      }
      this.set(value === null || !Number.isFinite(value) ? Number.NaN : value);
    },
  });
}

let processMetrics = false;

/**
 * Adds Node's process metrics (CPU, memory, event loop lag, handles), once. Only a process that
 * serves metrics does: it starts a small event-loop monitor no other command needs.
 */
export function enableProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}
