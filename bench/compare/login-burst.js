// A burst of sign-ins (argon2id, 19 MiB, 2 passes each) beside the queue's latency: one wrk
// keeps 50 password sign-ins in flight, going round every demo account of both départements,
// while another measures `GET /api/v1/cases` as the instructeur; the same measurement without
// the burst, just before, is the reference.
import { int } from '../stats.js';
import { measure, postScript, runWrk } from '../wrk.js';
import { checked, measureSettled, numbersOf, rateText } from './figures.js';

const P99_TARGET_MS = 50;
const sleep = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

/** One row: each side's queue p99 during the burst beside the same without it. */
export async function measureLoginBurst({ sides, order, run, problems, log }) {
  const bystander = { connections: run.connections(50), seconds: run.seconds };
  const signIns = run.connections(50);
  // The burst starts a second before the measurement (its warm-up included) and ends after it.
  const lead = 1;
  const row = {
    id: 'login-burst',
    figure: `\`GET /api/v1/cases\` as the instructeur, ${bystander.connections} connections, while ${signIns} sign-ins (argon2id) run in parallel, beside the same without them`,
    target: `p99 < ${P99_TARGET_MS} ms during the burst`,
    sides: [],
  };
  for (const i of order) {
    const side = sides[i];
    const url = `${side.url}/api/v1/cases`;
    const headers = { cookie: side.cookies.instructeur };
    log(`login: ${side.name}, the queue at rest`);
    const rest = checked(
      problems,
      `${side.name} /api/v1/cases at rest`,
      await measureSettled(run, url, { ...bystander, headers }),
    );

    // The operator signs in to the platform, not a département: left out.
    const bodies = side.accounts
      .filter((a) => a.tenant)
      .map((a) => ({ email: a.email, password: a.password }));
    const script = postScript(`login-${i}.lua`, '/api/v1/auth/login', bodies);
    log(`login: ${side.name}, the queue during ${signIns} parallel sign-ins`);
    await run.settle();
    const burst = runWrk(`${side.url}/api/v1/auth/login`, {
      connections: signIns,
      seconds: lead + run.warmup + run.seconds + 1,
      threads: 1,
      script,
    });
    await sleep(lead);
    const during = checked(
      problems,
      `${side.name} /api/v1/cases during the burst`,
      await measure(url, { ...bystander, headers }, run.warmup),
    );
    const logins = checked(problems, `${side.name} sign-ins`, await burst);
    row.sides[i] = {
      cloison: `${rateText(during)}; sign-ins ${logins.rate.toFixed(1)}/s, p99 ${int(logins.p99)} ms`,
      reference: `without the burst ${rateText(rest)}`,
      ratio: during.p99 / rest.p99,
      ratioText: `p99 ×${(during.p99 / rest.p99).toFixed(1)}, p50 ×${(during.p50 / rest.p50).toFixed(1)}`,
      met: during.p99 < P99_TARGET_MS,
      numbers: {
        during: numbersOf(during),
        rest: numbersOf(rest),
        signIns: numbersOf(logins),
      },
    };
  }
  return [row];
}
