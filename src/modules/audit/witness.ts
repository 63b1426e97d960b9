import type { AppDeps } from '../../deps.js';
import { errorCode } from '../alerts/channels/delivery-error.js';
import {
  findWitnessCursor,
  insertWitnessCursorIfAbsent,
  listCheckpointChains,
  listCheckpointsAfter,
  listLatestCheckpointSizes,
  saveWitnessCursor,
} from './checkpoint.repository.js';

/**
 * The HTTP witness: every new checkpoint is POSTed, as its signed note
 * (text/plain), to CLOISON_AUDIT_WITNESS_URL, a party that keeps what it receives where the
 * database's owner cannot rewrite it. What the witness has not accepted yet is sent again at
 * the next checkpoint run, oldest first; failures are logged with the chain, the size and the
 * witness's host or status, never its password.
 */

/** At most this many checkpoints per chain per run, so a long outage drains in bounded steps. */
const BATCH = 100;
const TIMEOUT_MS = 10_000;

interface WitnessTarget {
  readonly url: string;
  /** Host only: what the logs may say. */
  readonly host: string;
  readonly authorization: string | null;
}

function targetOf(raw: string): WitnessTarget {
  const url = new URL(raw);
  const authorization =
    url.username || url.password
      ? `Basic ${Buffer.from(
          `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
        ).toString('base64')}`
      : null;
  url.username = '';
  url.password = '';
  return { url: url.href, host: url.host, authorization };
}

/** Why a POST failed, without the URL's credentials or the response's body. */
async function post(target: WitnessTarget, chain: string, note: string): Promise<string | null> {
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'cloison-audit-chain': chain,
        ...(target.authorization ? { authorization: target.authorization } : {}),
      },
      body: note,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.ok ? null : `status ${res.status}`;
  } catch (error) {
    return errorCode(error);
  }
}

/**
 * The size after which checkpoints of the chain are still to send. A chain first seen by the
 * witness starts at its latest checkpoint (the history before it is the file witness's or
 * nobody's); that starting point is written down first, so a failed first POST is retried.
 */
async function cursorOf(deps: AppDeps, chain: string): Promise<number> {
  const cursor = await findWitnessCursor(deps.db, chain);
  if (cursor !== undefined) return cursor;
  const [latest, before] = await listLatestCheckpointSizes(deps.db, chain, 2);
  const from = latest !== undefined ? (before ?? 0) : 0;
  await insertWitnessCursorIfAbsent(deps.db, {
    chain,
    size: from,
    delivered_at: deps.clock.now().toISOString(),
  });
  return from;
}

/**
 * Sends every checkpoint the witness has not accepted yet. Stops at the first failure (the
 * witness is most likely down for every chain).
 */
export async function deliverToWitness(deps: AppDeps): Promise<number> {
  if (!deps.config.auditWitnessUrl) return 0;
  const target = targetOf(deps.config.auditWitnessUrl);
  const chains = await listCheckpointChains(deps.db);
  let delivered = 0;
  for (const { chain } of chains) {
    const from = await cursorOf(deps, chain);
    const pending = await listCheckpointsAfter(deps.db, chain, from, BATCH);
    for (const cp of pending) {
      const failure = await post(target, chain, cp.note);
      if (failure) {
        deps.log.warn(
          { chain, size: cp.size, witness: target.host, failure },
          'audit witness did not take the checkpoint; retrying at the next run',
        );
        return delivered;
      }
      const now = deps.clock.now().toISOString();
      await saveWitnessCursor(deps.db, { chain, size: cp.size, delivered_at: now });
      delivered += 1;
    }
  }
  return delivered;
}
