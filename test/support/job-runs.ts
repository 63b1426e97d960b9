import type { RunningServer } from '../harness/server.js';

/**
 * Waits until the server's job has run at least `times` times, read from its metrics (the server
 * needs CLOISON_METRICS_PORT). The start-time jobs run once the server listens, so a test that
 * writes the database as time passing would have, or asserts that a job did nothing, waits for
 * that run first: before it, the job could still act on the test's writes or prove nothing.
 */
export async function waitForJobRun(server: RunningServer, job: string, times = 1): Promise<void> {
  if (!server.metricsUrl)
    throw new Error('start the server with CLOISON_METRICS_PORT to wait for its jobs');
  const series = `cloison_job_runs_total{job="${job}"} `;
  const until = Date.now() + 20_000;
  for (;;) {
    const text = await (await fetch(server.metricsUrl)).text();
    const line = text.split('\n').find((l) => l.startsWith(series));
    if (line && Number(line.slice(series.length)) >= times) return;
    if (Date.now() > until) throw new Error(`the ${job} job did not run`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
