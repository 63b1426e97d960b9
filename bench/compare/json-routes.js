// JSON routes beside the same server's health check and beside the framework alone: the
// instructeur's queue and three reads (each through the session, the policy, the database and
// an audit record), `GET /api/health` of the same process (no session, no audit), and a plain
// Fastify process answering the queue's own body (no database at all).
import { startPlainJsonServer } from '../plain-server.js';
import { checked, measureSettled, numbersOf, rateText, ratioText } from './figures.js';

const CASES_P99_TARGET_MS = 50;
const CASES_HEALTH_RATIO_TARGET = 0.25;

function routesOf(side) {
  return [
    {
      id: 'json-cases',
      path: '/api/v1/cases',
      figure: `first page of the queue (${side.visible} cases visible)`,
    },
    { id: 'json-me', path: '/api/v1/me', figure: 'the signed-in account' },
    { id: 'json-case', path: `/api/v1/cases/${side.caseId}`, figure: 'one case' },
    {
      id: 'json-case-documents',
      path: `/api/v1/cases/${side.caseId}/documents`,
      figure: `a case's documents (${side.caseDocuments} listed)`,
    },
  ];
}

/** One row per route, each side's figure beside its own health check and the plain route. */
export async function measureJsonRoutes({ sides, order, run, problems, log }) {
  const options = { connections: run.connections(50), seconds: run.seconds };
  const plain = await startPlainJsonServer(sides[0].page);
  let plainResult;
  try {
    log(`json: plain Fastify, ${options.connections} connections`);
    plainResult = checked(
      problems,
      'plain Fastify /json',
      await measureSettled(run, `${plain.url}/json`, options),
    );
  } finally {
    await plain.stop();
  }
  const bodyBytes = Buffer.byteLength(JSON.stringify(sides[0].page));
  const rows = routesOf(sides[0]).map((r) => ({
    id: r.id,
    figure: `\`GET ${r.path.replace(sides[0].caseId, ':id')}\`, ${r.figure}, as the instructeur, ${options.connections} connections, beside \`/api/health\` and a plain Fastify route (${bodyBytes} B body)`,
    target:
      r.id === 'json-cases'
        ? `p99 < ${CASES_P99_TARGET_MS} ms and ≥ ${CASES_HEALTH_RATIO_TARGET}× health`
        : null,
    sides: [],
  }));
  for (const s of order) {
    const side = sides[s];
    log(`json: ${side.name}, /api/health`);
    const health = checked(
      problems,
      `${side.name} /api/health`,
      await measureSettled(run, `${side.url}/api/health`, options),
    );
    const headers = { cookie: side.cookies.instructeur };
    for (const [i, route] of routesOf(side).entries()) {
      log(`json: ${side.name}, ${route.path}`);
      const result = checked(
        problems,
        `${side.name} ${route.path}`,
        await measureSettled(run, `${side.url}${route.path}`, { ...options, headers }),
      );
      const toHealth = result.rate / health.rate;
      const toPlain = result.rate / plainResult.rate;
      rows[i].sides[s] = {
        cloison: rateText(result),
        reference: `health ${rateText(health)}; plain ${rateText(plainResult)}`,
        ratio: toHealth,
        ratioText: `${ratioText(toHealth)} of health, ${ratioText(toPlain)} of plain`,
        met:
          route.id === 'json-cases'
            ? result.p99 < CASES_P99_TARGET_MS && toHealth >= CASES_HEALTH_RATIO_TARGET
            : null,
        numbers: {
          cloison: numbersOf(result),
          health: numbersOf(health),
          plain: numbersOf(plainResult),
          toPlain,
        },
      };
    }
  }
  return rows;
}
