import { describe, expect, it } from 'vitest';
import { backoffSeconds, MAX_ATTEMPTS } from './outbox-worker.js';
import { alertRetrySeconds } from '../alerts/alert-outbox.js';

describe('outbox retry waits', () => {
  it('double from the base after each failure, capped at an hour', () => {
    const waits = Array.from({ length: MAX_ATTEMPTS }, (_, i) => backoffSeconds(30, i + 1));
    expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('give an alert two quick tries before the outbox’s waits', () => {
    const backoff = (n: number) => backoffSeconds(30, n);
    expect([1, 2, 3, 4].map((n) => alertRetrySeconds(n, backoff))).toEqual([1, 2, 30, 60]);
  });
});
