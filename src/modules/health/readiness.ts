import fs from 'node:fs/promises';
import { pingDatabase } from '../../db/database.js';
import type { AppDeps } from '../../deps.js';
import { listTenantIds } from '../tenants/tenant.repository.js';

/**
 * Whether this process can serve, for a load balancer: the database answers, the key manager
 * answers (local keyring or HSM), and the data directory has room for what is written next.
 * What it reports is only which check failed: never a path, a key id or an amount of space.
 */
export const READINESS_CHECKS = ['database', 'keys', 'disk'] as const;
export type ReadinessCheck = (typeof READINESS_CHECKS)[number];
export type CheckOutcome = 'ok' | 'failed';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<ReadinessCheck, CheckOutcome>>;
}

/** A check that takes longer than this has failed: a load balancer must not wait on a hung HSM. */
const CHECK_TIMEOUT_MS = 2_000;
/** Probes closer together than this share one result: a flood of them costs one round of checks. */
const REUSE_MS = 1_000;
/** A key name that is never a tenant's: asking for its versions only proves the manager answers. */
const PROBE_KEY = 'cloison-readiness-probe';

class CheckTimeout extends Error {
  constructor() {
    super('check timed out');
    this.name = 'CheckTimeout';
  }
}

async function within(work: () => Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout()), ms);
  });
  try {
    await Promise.race([work(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The key manager lists a tenant's key versions (it reads the keyring, or asks the HSM); a tenant
 * that has versions must have a current one to seal new data under. Nothing is unwrapped.
 */
async function checkKeys(deps: AppDeps): Promise<void> {
  let tenant: string | undefined;
  try {
    [tenant] = await listTenantIds(deps.db);
  } catch {
    // The database check reports that; the key manager can still be asked on its own.
    tenant = undefined;
  }
  const versions = await deps.keys.versions(tenant ?? PROBE_KEY);
  if (versions.length > 0 && !versions.some((v) => v.current)) {
    throw new Error('no current tenant key version');
  }
}

async function checkDisk(deps: AppDeps): Promise<void> {
  const stats = await fs.statfs(deps.config.dataDir);
  const free = stats.bavail * stats.bsize;
  if (free < deps.config.minFreeDiskMb * 1024 * 1024)
    throw new Error('free disk space below minimum');
}

const RUN: Record<ReadinessCheck, (deps: AppDeps) => Promise<unknown>> = {
  database: (deps) => pingDatabase(deps.db),
  keys: checkKeys,
  disk: checkDisk,
};

interface State {
  last: { at: number; result: Promise<Readiness> } | null;
  /** Failing checks, so that a failure is logged when it starts and ends, not on every probe. */
  failing: Set<ReadinessCheck>;
}
const states = new WeakMap<AppDeps, State>();

async function runChecks(deps: AppDeps, state: State): Promise<Readiness> {
  const outcomes = await Promise.all(
    READINESS_CHECKS.map(async (name): Promise<[ReadinessCheck, CheckOutcome]> => {
      try {
        await within(() => RUN[name](deps), CHECK_TIMEOUT_MS);
        if (state.failing.delete(name)) deps.log.info({ check: name }, 'readiness check recovered');
        return [name, 'ok'];
      } catch (error) {
        if (!state.failing.has(name)) {
          state.failing.add(name);
          // The class and code only: messages can name files and keys.
          const e = error as { name?: unknown; code?: unknown };
          deps.log.warn(
            { check: name, error: e.name ?? null, code: e.code ?? null },
            'readiness check failed',
          );
        }
        return [name, 'failed'];
      }
    }),
  );
  const checks = Object.fromEntries(outcomes) as Record<ReadinessCheck, CheckOutcome>;
  return { ready: outcomes.every(([, outcome]) => outcome === 'ok'), checks };
}

/** Runs the readiness checks (or reuses a result under a second old). */
export function checkReadiness(deps: AppDeps): Promise<Readiness> {
  let state = states.get(deps);
  if (!state) {
    state = { last: null, failing: new Set() };
    states.set(deps, state);
  }
  // The real clock: a shifted test clock must not freeze or skip the reuse window.
  const now = Date.now();
  if (state.last && now - state.last.at < REUSE_MS) return state.last.result;
  const result = runChecks(deps, state);
  state.last = { at: now, result };
  return result;
}
