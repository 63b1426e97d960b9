import { describe, expect, it } from 'vitest';
import { countJobRun, metricsRegistry, registerScrapeGauge } from './metrics.js';

/** The sample of a label-less gauge, as Prometheus would read it. */
async function valueOf(name: string): Promise<string | undefined> {
  const text = await metricsRegistry.metrics();
  return text
    .split('\n')
    .find((line) => line.startsWith(`${name} `))
    ?.slice(name.length + 1);
}

describe('registerScrapeGauge', () => {
  it('reads its value at each scrape', async () => {
    let age = 12;
    registerScrapeGauge({
      name: 'cloison_test_scrape_age_seconds',
      help: 'a test gauge',
      read: async () => age,
    });
    expect(await valueOf('cloison_test_scrape_age_seconds')).toBe('12');
    age = 30;
    expect(await valueOf('cloison_test_scrape_age_seconds')).toBe('30');
  });

  it('replaces the reader when the same name is registered again', async () => {
    registerScrapeGauge({ name: 'cloison_test_scrape_twice', help: 'first', read: () => 1 });
    registerScrapeGauge({ name: 'cloison_test_scrape_twice', help: 'second', read: () => 2 });
    expect(await valueOf('cloison_test_scrape_twice')).toBe('2');
  });

  it('reports NaN for no value or a failing reader, and the scrape still succeeds', async () => {
    registerScrapeGauge({ name: 'cloison_test_scrape_none', help: 'none yet', read: () => null });
    registerScrapeGauge({
      name: 'cloison_test_scrape_broken',
      help: 'broken',
      read: () => {
        throw new Error('unreachable store');
      },
    });
    // prom-client writes "Nan"; Prometheus reads NaN in any case.
    expect(await valueOf('cloison_test_scrape_none')).toMatch(/^nan$/i);
    expect(await valueOf('cloison_test_scrape_broken')).toMatch(/^nan$/i);
  });

  it('refuses a name that is not a Cloison metric name', () => {
    expect(() =>
      registerScrapeGauge({ name: 'cloison_Bad-Name' as 'cloison_x', help: 'x', read: () => 0 }),
    ).toThrow(RangeError);
  });
});

describe('countJobRun', () => {
  it('counts runs, counts and rethrows failures', async () => {
    await countJobRun('unit-test-job', async () => undefined);
    await expect(
      countJobRun('unit-test-job', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await valueOf('cloison_job_runs_total{job="unit-test-job"}')).toBe('2');
    expect(await valueOf('cloison_job_failures_total{job="unit-test-job"}')).toBe('1');
  });
});
