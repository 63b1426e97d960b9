import { Readable } from 'node:stream';
import { asUnitOfWork } from '../../db/durability.js';
import type { AppDeps } from '../../deps.js';
import { Problem, problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { loadChainTree } from './chain-tree.js';
import { listExportPage } from './audit-event.repository.js';
import { findLatestCheckpoint } from './checkpoint.repository.js';
import { findLogKey } from './log-key.repository.js';
import { consistencyPath, inclusionPath, PurgedLeavesError, rootOf } from './merkle.js';

/** A proof that needs events retention purged: gone for good, said plainly. */
function purged(): Problem {
  return new Problem(
    410,
    'audit-purged',
    'Événements purgés',
    'Cette preuve porte sur des événements effacés au terme de la durée de conservation du journal.',
  );
}

/** Runs a proof computation, turning a purged node into its problem. */
function unlessPurged<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof PurgedLeavesError) throw purged();
    throw error;
  }
}

/** The latest signed checkpoint of my tenant's log, with the key to check it. */
export async function latestCheckpoint(deps: AppDeps, actor: Actor) {
  const chain = requireStaff(actor).tenantId;
  const cp = await findLatestCheckpoint(deps.db, chain);
  const key = await findLogKey(deps.db, chain);
  if (!cp || !key)
    throw problems.conflict('no-checkpoint', 'Aucun point de contrôle signé pour l’instant.');
  return {
    size: cp.size,
    rootHash: cp.root_hash,
    note: cp.note,
    keyName: key.key_name,
    publicKey: key.public_key.toString('base64'),
  };
}

function checkSize(size: number, total: number): void {
  if (size < 1 || size > total) {
    throw problems.validation(`La taille doit être comprise entre 1 et ${total}.`);
  }
}

/** RFC 6962 audit path of event `seq` (1-based) in the tree of the first `size` events. */
export async function inclusion(deps: AppDeps, actor: Actor, seq: number, size: number) {
  const chain = requireStaff(actor).tenantId;
  const tree = await loadChainTree(deps.db, chain);
  checkSize(size, tree.size);
  if (seq < 1 || seq > size) throw problems.validation('L’événement doit être dans l’arbre.');
  if (seq < tree.firstKept - 1) throw purged();
  return unlessPurged(() => ({
    seq,
    size,
    leafHash: tree.source.hash(seq - 1, 1).toString('hex'),
    rootHash: rootOf(tree.source, size).toString('hex'),
    proof: inclusionPath(tree.source, seq - 1, size).map((p) => p.toString('hex')),
  }));
}

/** RFC 6962 consistency proof between the trees of the first `from` and `to` events. */
export async function consistency(deps: AppDeps, actor: Actor, from: number, to: number) {
  const chain = requireStaff(actor).tenantId;
  const tree = await loadChainTree(deps.db, chain);
  checkSize(to, tree.size);
  if (from < 1 || from > to) throw problems.validation('Il faut 1 ≤ from ≤ to.');
  return unlessPurged(() => ({
    from,
    to,
    fromRoot: rootOf(tree.source, from).toString('hex'),
    toRoot: rootOf(tree.source, to).toString('hex'),
    proof: consistencyPath(tree.source, from, to).map((p) => p.toString('hex')),
  }));
}

/**
 * SIEM export, so the département's own monitoring keeps and correlates the log: my tenant's
 * audit events as JSON lines, from a sequence number on, streamed in pages so a whole year never
 * sits in memory.
 */
export function exportEvents(deps: AppDeps, actor: Actor, after: number): Readable {
  const chain = requireStaff(actor).tenantId;
  async function* lines() {
    let cursor = after;
    for (;;) {
      // Pages are read after the answer's own wait for the disk: each read waits again, so no
      // event leaves that a failed or unsynced commit could still take back (the SIEM would
      // then hold a link the log later rewrites).
      const page = await asUnitOfWork(() => listExportPage(deps.db, chain, cursor, 1000));
      if (page.length === 0) return;
      for (const row of page) {
        yield `${JSON.stringify({
          seq: row.seq,
          at: row.at,
          event: JSON.parse(row.entry) as unknown,
          leafHash: row.leaf_hash,
          chainHash: row.chain_hash,
        })}\n`;
      }
      cursor = page.at(-1)!.seq;
    }
  }
  return Readable.from(lines());
}
