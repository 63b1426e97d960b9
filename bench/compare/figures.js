// What every comparison part shares: the run's settings, the check that a measurement answered
// what it should, and how a figure is written in a table cell.
import { int, ms } from '../stats.js';
import { measure } from '../wrk.js';

/**
 * The run's settings from the command line: `seconds` per measurement, `warmup` seconds before
 * each, `connections(n)`, the connections a figure asks for (a few in the smoke run), and
 * settle(), replaced once the servers run by a wait until they are idle.
 */
export function settings({ smoke, seconds, warmup }) {
  return {
    smoke,
    seconds,
    warmup,
    connections: (n) => (smoke ? Math.min(n, 4) : n),
    settle: async () => {},
  };
}

/** Waits until the servers are idle, then warms up and measures (bench/wrk.js measure). */
export async function measureSettled(run, url, options) {
  await run.settle();
  return measure(url, options, run.warmup);
}

/**
 * Records in `problems` what makes a wrk result worthless (no request, a non-2xx answer, a socket
 * error or a timeout) and returns the result: the figure is still printed, the run exits 1.
 */
export function checked(problems, label, result) {
  const e = result.errors;
  if (result.requests === 0) problems.push(`${label}: no request completed`);
  if (result.failed > 0) {
    problems.push(
      `${label}: ${e.status} answers not 2xx/3xx, socket errors connect ${e.connect} read ${e.read} write ${e.write}, ${e.timeout} timeouts (of ${result.requests})`,
    );
  }
  return result;
}

/** A latency in ms as the README writes it: 0.42, 3.1, 12, 2,123. */
export const latency = (x) => (x >= 1000 ? int(x) : ms(x));

/** "1,234 req/s, p50 3.1 ms, p99 12 ms" */
export const rateText = (r) =>
  `${int(r.rate)} req/s, p50 ${latency(r.p50)} ms, p99 ${latency(r.p99)} ms`;

/** "215 MB/s (10.8 req/s, p99 4,100 ms)" */
export const throughputText = (r) =>
  `${int(r.mbPerSecond)} MB/s (${r.rate.toFixed(1)} req/s, p99 ${int(r.p99)} ms)`;

/** A ratio with two significant figures at most: 0.042, 0.42, 4.2, 42. */
export function ratioText(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x >= 10) return x.toFixed(0);
  if (x >= 1) return x.toFixed(1);
  if (x >= 0.1) return x.toFixed(2);
  return x.toFixed(3);
}

/** Removes what JSON should not carry twice (the text cells are rebuilt from the numbers). */
export const numbersOf = (r) => ({
  requests: r.requests,
  seconds: Number(r.seconds.toFixed(2)),
  rate: Number(r.rate.toFixed(1)),
  mbPerSecond: Number(r.mbPerSecond.toFixed(1)),
  p50: Number(r.p50.toFixed(2)),
  p90: Number(r.p90.toFixed(2)),
  p99: Number(r.p99.toFixed(2)),
  max: Number(r.max.toFixed(2)),
  errors: r.errors,
});
