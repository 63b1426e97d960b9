import fs from 'node:fs';
import type { AppDeps } from '../../deps.js';
import type { Db } from '../../db/database.js';
import { ChainFrontiers } from './chain-frontier.js';
import { signingKey } from './log-keys.js';
import { checkpointBody, signNote } from './signed-note.js';
import { listEventChains } from './audit-event.repository.js';
import { findLatestCheckpointSize, insertCheckpointIfAbsent } from './checkpoint.repository.js';

/** The log's name in its checkpoints: the public origin's host and the tenant ('-': platform). */
function logOrigin(deps: AppDeps, chain: string): string {
  return `${new URL(deps.publicOrigin()).host}/cloison/audit/${chain}`;
}

/** Each database's chain frontiers, kept by this process between runs of the job. */
const frontiersOf = new WeakMap<Db, ChainFrontiers>();

/** The frontiers the checkpoint job keeps for this database (made on first use). */
export function chainFrontiers(db: Db): ChainFrontiers {
  let frontiers = frontiersOf.get(db);
  if (!frontiers) frontiersOf.set(db, (frontiers = new ChainFrontiers()));
  return frontiers;
}

/**
 * Signs a checkpoint of one chain if it grew since its last one, and appends it to the witness
 * file when one is configured (a copy the database cannot rewrite). Returns the size of the
 * chain's latest checkpoint afterwards (0: the chain is empty) and whether it was just made.
 */
export async function checkpointChain(
  deps: AppDeps,
  chain: string,
): Promise<{ size: number; made: boolean }> {
  // Only the events appended since the previous run are read, when this process made it.
  const tree = await chainFrontiers(deps.db).tree(deps.db, chain);
  const last = (await findLatestCheckpointSize(deps.db, chain)) ?? 0;
  if (tree.size === 0 || tree.size === last) {
    return { size: last, made: false };
  }
  const root = tree.root();
  const { key, name, publicKey } = await signingKey(deps, chain);
  const note = signNote(
    checkpointBody(logOrigin(deps, chain), tree.size, root),
    name,
    key,
    publicKey,
  );
  await insertCheckpointIfAbsent(deps.db, {
    chain,
    size: tree.size,
    root_hash: root.toString('hex'),
    note,
    created_at: deps.clock.now().toISOString(),
  });
  if (deps.config.auditWitnessFile) {
    fs.appendFileSync(
      deps.config.auditWitnessFile,
      `${JSON.stringify({ chain, size: tree.size, note })}\n`,
      { mode: 0o600 },
    );
  }
  return { size: tree.size, made: true };
}

/**
 * Signs a checkpoint of every chain that grew since its last one: each tenant's with the
 * tenant's key, the platform chain ('-') with the platform's. Returns how many were made.
 */
export async function checkpointChains(deps: AppDeps): Promise<number> {
  const chains = await listEventChains(deps.db);
  let made = 0;
  for (const { chain } of chains) {
    // One chain that cannot be signed (its key unavailable) does not hold back the others.
    try {
      if ((await checkpointChain(deps, chain)).made) made += 1;
    } catch (error) {
      deps.log.error(
        { chain, err: error instanceof Error ? error.message : String(error) },
        'audit checkpoint failed',
      );
    }
  }
  return made;
}
