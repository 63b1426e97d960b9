import type { AppDeps } from '../../deps.js';
import { appendAudit, DAY_MS, GENESIS, systemEntry } from './audit-log.js';
import { buildChainTree, latestMarker } from './chain-tree.js';
import { checkpointChain } from './checkpoints.js';
import { verifyAuditChains } from './verify.js';
import {
  deleteEventsThrough,
  findRetentionBounds,
  listEventChains,
  listLinksBetween,
} from './audit-event.repository.js';
import { findLatestMarkerRow, insertRetentionMarker } from './retention-marker.repository.js';
import { deleteSecurityEventsBefore } from '../events/security-event.repository.js';

/**
 * Retention of the audit log, which holds personal data no longer than it must: events older
 * than CLOISON_AUDIT_RETENTION_DAYS are deleted, chain by chain, so that what remains still
 * verifies. Before the delete, in the same transaction: an `audit.purged` event is appended to
 * the chain and a retention marker records what verification needs of the purged part (see
 * migration 0021). A chain that does not verify is never purged: the purge would destroy the
 * evidence.
 */

export interface Purge {
  readonly chain: string;
  readonly throughSeq: number;
  readonly events: number;
}

/** Purges every chain's expired events; returns what it purged. */
export async function purgeExpiredAuditEvents(deps: AppDeps): Promise<Purge[]> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - deps.config.auditRetentionDays * DAY_MS).toISOString();
  const chains = await listEventChains(deps.db);
  const done: Purge[] = [];
  for (const { chain } of chains) {
    try {
      const purge = await purgeChain(deps, chain, cutoff);
      if (purge) done.push(purge);
    } catch (error) {
      deps.log.error(
        { chain, err: error instanceof Error ? error.message : String(error) },
        'audit retention failed',
      );
    }
  }
  // The operational copy of security events (ids, addresses, detail) lives no longer than the log.
  await deleteSecurityEventsBefore(deps.db, cutoff);
  return done;
}

async function purgeChain(deps: AppDeps, chain: string, cutoff: string): Promise<Purge | null> {
  const marker = await latestMarker(deps.db, chain);
  const from = marker?.throughSeq ?? 0;
  // The longest run of events older than the cutoff: an event written out of order (a request
  // that took a while) never takes a younger one with it.
  const bounds = await findRetentionBounds(deps.db, chain, from, cutoff);
  if (bounds?.last == null) return null;
  const k = bounds.firstYoung != null ? Number(bounds.firstYoung) - 1 : Number(bounds.last);
  if (k <= from) return null;

  const [report] = await verifyAuditChains(deps.db, {
    chains: [chain],
    now: deps.clock.now(),
    retentionDays: deps.config.auditRetentionDays,
    ...(deps.config.auditWitnessFile ? { witnessFile: deps.config.auditWitnessFile } : {}),
  });
  if (report?.broken) {
    deps.log.error(
      { chain, seq: report.broken.seq, reason: report.broken.reason },
      'audit retention skipped: the chain does not verify, its events are kept as evidence',
    );
    return null;
  }
  // The marker is only believed where a signed checkpoint covers what it replaces.
  if ((await checkpointChain(deps, chain)).size < k) {
    throw new Error(`no signed checkpoint covers events up to ${k}`);
  }

  // Events up to k never change (the triggers, and purges run one at a time): their compact
  // range is built outside the transaction, a page at a time.
  const range = (await buildChainTree(deps.db, chain, marker, k - 1)).range();
  if (range.size !== k - 1) throw new Error(`events are missing before ${k}`);

  return deps.db.transaction().execute(async (trx) => {
    if ((await findLatestMarkerRow(trx, chain))?.through_seq !== marker?.throughSeq) return null;
    const [prevRow, last] = await listLinksBetween(trx, chain, k - 1, k).then((rows) =>
      rows.length === 2 ? rows : [undefined, rows[0]],
    );
    if (last?.seq !== k || (k - 1 > from && prevRow?.seq !== k - 1)) {
      throw new Error(`events ${k - 1} and ${k} are not both there`);
    }
    const prevChainHash = prevRow?.chain_hash ?? marker?.chainHash ?? GENESIS;

    const at = deps.clock.now().toISOString();
    await appendAudit(
      trx,
      systemEntry(at, chain, k, {
        action: 'audit.purged',
        outcome: 'allowed',
        purpose: `durée de conservation du journal (${deps.config.auditRetentionDays} jours)`,
      }),
    );
    await insertRetentionMarker(trx, {
      chain,
      through_seq: k,
      chain_hash: last.chain_hash,
      prev_chain_hash: prevChainHash,
      last_entry: last.entry,
      tree_range: JSON.stringify(range.hashes.map((h) => h.toString('hex'))),
      purged_at: at,
    });
    await deleteEventsThrough(trx, chain, k);
    return { chain, throughSeq: k, events: k - from };
  });
}
