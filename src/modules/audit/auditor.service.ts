import { Readable } from 'node:stream';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { consistencyProof, inclusionProof, treeHash } from './merkle.js';

function tenantOfAuditor(actor: Actor): string {
  if (actor.kind !== 'staff') throw problems.forbidden();
  return actor.tenantId;
}

async function leavesOf(deps: AppDeps, chain: string, size?: number): Promise<Buffer[]> {
  let q = deps.db
    .selectFrom('audit_events')
    .select('leaf_hash')
    .where('chain', '=', chain)
    .orderBy('seq');
  if (size !== undefined) q = q.limit(size);
  return (await q.execute()).map((r) => Buffer.from(r.leaf_hash, 'hex'));
}

/** The latest signed checkpoint of my tenant's log, with the key to check it. */
export async function latestCheckpoint(deps: AppDeps, actor: Actor) {
  const chain = tenantOfAuditor(actor);
  const cp = await deps.db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('chain', '=', chain)
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  const key = await deps.db
    .selectFrom('audit_log_keys')
    .selectAll()
    .where('chain', '=', chain)
    .executeTakeFirst();
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
  const chain = tenantOfAuditor(actor);
  const leaves = await leavesOf(deps, chain);
  checkSize(size, leaves.length);
  if (seq < 1 || seq > size) throw problems.validation('L’événement doit être dans l’arbre.');
  const tree = leaves.slice(0, size);
  return {
    seq,
    size,
    leafHash: tree[seq - 1]!.toString('hex'),
    rootHash: treeHash(tree).toString('hex'),
    proof: inclusionProof(seq - 1, tree).map((p) => p.toString('hex')),
  };
}

/** RFC 6962 consistency proof between the trees of the first `from` and `to` events. */
export async function consistency(deps: AppDeps, actor: Actor, from: number, to: number) {
  const chain = tenantOfAuditor(actor);
  const leaves = await leavesOf(deps, chain);
  checkSize(to, leaves.length);
  if (from < 1 || from > to) throw problems.validation('Il faut 1 ≤ from ≤ to.');
  const tree = leaves.slice(0, to);
  return {
    from,
    to,
    fromRoot: treeHash(tree.slice(0, from)).toString('hex'),
    toRoot: treeHash(tree).toString('hex'),
    proof: consistencyProof(from, tree).map((p) => p.toString('hex')),
  };
}

/**
 * SIEM export (issue 5 item 7): my tenant's audit events as JSON lines, from a sequence number
 * on, streamed in pages so a whole year never sits in memory.
 */
export function exportEvents(deps: AppDeps, actor: Actor, after: number): Readable {
  const chain = tenantOfAuditor(actor);
  async function* lines() {
    let cursor = after;
    for (;;) {
      const page = await deps.db
        .selectFrom('audit_events')
        .select(['seq', 'at', 'entry', 'leaf_hash', 'chain_hash'])
        .where('chain', '=', chain)
        .where('seq', '>', cursor)
        .orderBy('seq')
        .limit(1000)
        .execute();
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
