import fs from 'node:fs';
import { MIN_AUDIT_RETENTION_DAYS } from '../../config.js';
import type { DbOrTx } from '../../db/database.js';
import { chainHash, DAY_MS, leafHash } from './audit-log.js';
import { parseMarker, pauseEvery, type RetentionMarker } from './chain-tree.js';
import { ChainPass } from './chain-pass.js';
import { openCheckpointNotes, type VerifiedNotes } from './checkpoint-notes.js';
import { hexDigest, toDigest } from './merkle-frontier.js';
import {
  findLowestSeqThrough,
  listEventChains,
  listLinkPage,
  type ChainLinkRow,
} from './audit-event.repository.js';
import { listCheckpointNotes } from './checkpoint.repository.js';
import { findLogKey } from './log-key.repository.js';
import { findLatestMarkerRow, listPurgedChains } from './retention-marker.repository.js';

export interface ChainReport {
  readonly chain: string;
  /** Events still in the database. */
  readonly events: number;
  /** Events 1 to purgedThrough were purged by retention (0: none). */
  readonly purgedThrough: number;
  /** Signed checkpoints checked against the events (RFC 6962 root, Ed25519 signature). */
  readonly checkpoints: number;
  /** Checkpoints of a size the retention purge went past: their signature is checked, no more. */
  readonly beforeRetention: number;
  /** Null when the chain is intact; otherwise the first link that broke and why. */
  readonly broken: { readonly seq: number; readonly reason: string } | null;
}

export interface VerifyOptions {
  /** A witness file ({chain, size, note} per line) whose checkpoints are checked too. */
  readonly witnessFile?: string;
  /** Only these chains (all of them otherwise). */
  readonly chains?: readonly string[];
  /** The verifier's time: a purge dated after it is forged. */
  readonly now?: Date;
  /**
   * The configured retention (days): a purge of events younger than that was not made by
   * Cloison. At least MIN_AUDIT_RETENTION_DAYS whatever is passed.
   */
  readonly retentionDays?: number;
  /**
   * Notes a previous run of this process already verified (the server's periodic job keeps
   * one); without it every distinct note's signature is checked once in the run.
   */
  readonly verifiedNotes?: VerifiedNotes;
}

interface ChainContext {
  readonly now: Date;
  readonly retentionDays: number;
  readonly verifiedNotes: VerifiedNotes | undefined;
}

/** Rows read per query: large enough that a query costs little beside hashing its rows. */
const VERIFY_PAGE = 2_000;
/** How long the pass may hold the event loop before letting requests run. */
const YIELD_MS = 10;

/**
 * Re-computes every chain from its first link (or from its retention marker): a sequence number
 * out of place (a deleted or reordered row), an entry that does not hash to its leaf (an edited
 * row) or a link that does not follow from the previous one (a row replaced with its hashes
 * recomputed) is reported with the first sequence number where it happens. Then the signed
 * checkpoints (the database's and the witness's) must match the events, which whoever rewrites
 * the file cannot forge without the log's key.
 */
export async function verifyAuditChains(
  db: DbOrTx,
  options: VerifyOptions = {},
): Promise<ChainReport[]> {
  const witnessed = readWitness(options.witnessFile);
  const chains =
    options.chains ??
    [
      ...new Set(
        [...(await listEventChains(db)), ...(await listPurgedChains(db))].map((r) => r.chain),
      ),
    ].sort();
  const reports: ChainReport[] = [];
  for (const chain of chains) {
    reports.push(
      await verifyChain(db, chain, witnessed.get(chain) ?? [], {
        now: options.now ?? new Date(),
        retentionDays: Math.max(options.retentionDays ?? 0, MIN_AUDIT_RETENTION_DAYS),
        verifiedNotes: options.verifiedNotes,
      }),
    );
  }
  for (const [chain, notes] of witnessed) {
    if (options.chains && !options.chains.includes(chain)) continue;
    if (!reports.some((r) => r.chain === chain)) {
      reports.push({
        chain,
        events: 0,
        purgedThrough: 0,
        checkpoints: notes.length,
        beforeRetention: 0,
        broken: { seq: 1, reason: 'the witness holds checkpoints of a chain the database lost' },
      });
    }
  }
  return reports;
}

async function verifyChain(
  db: DbOrTx,
  chain: string,
  witnessNotes: readonly string[],
  { now, retentionDays, verifiedNotes }: ChainContext,
): Promise<ChainReport> {
  // Checkpoints first, events after: a checkpoint signed meanwhile covers no event we miss.
  const checkpointNotes = await listCheckpointNotes(db, chain);
  const key = await findLogKey(db, chain);
  const markerRow = await findLatestMarkerRow(db, chain);
  const marker = markerRow ? parseMarker(markerRow) : null;
  const purgedThrough = markerRow?.through_seq ?? 0;
  const reappeared = await findLowestSeqThrough(db, chain, purgedThrough);

  const notes = openCheckpointNotes([...checkpointNotes, ...witnessNotes], key, verifiedNotes);
  const pass = new ChainPass(purgedThrough, {
    range: marker?.range,
    wanted: notes.map((n) => n?.size ?? -1),
    collectPurges: marker !== null,
  });
  const fail = (seq: number, reason: string) => pass.fail(seq, reason);

  if (markerRow && !marker) fail(purgedThrough, 'the retention marker is malformed');
  if (marker) {
    const last = leafHash(marker.lastEntry);
    if (chainHash(marker.prevChainHash, last) !== marker.chainHash) {
      fail(
        purgedThrough,
        'the retention marker does not hold together (its last event was changed)',
      );
    }
    pass.pushLeaf(hexDigest(last));
    pass.follow(marker.chainHash);
  }
  if (reappeared != null) {
    fail(Number(reappeared), 'an event was put back into the part of the chain retention purged');
  }

  // A page at a time, letting requests run every few milliseconds: a year of events is never
  // all in memory, and a server verifying itself keeps serving requests.
  const pause = pauseEvery(YIELD_MS);
  for (let after = purgedThrough; ;) {
    const page = await listLinkPage(db, chain, after, VERIFY_PAGE);
    if (page.length === 0) break;
    pass.take(page);
    after = page.at(-1)!.seq;
    await pause();
  }

  // The chain can be recomputed by whoever rewrites the file; the signed checkpoints cannot
  // without the log's key, and the witness's copy not at all.
  let checked = 0;
  let beforeRetention = 0;
  let covered = false;
  for (const opened of [...notes].sort((a, b) => (a?.size ?? 0) - (b?.size ?? 0))) {
    if (pass.broken) break;
    if (!opened) {
      fail(0, 'a checkpoint does not carry a valid signature of the log key');
    } else if (opened.size < purgedThrough) {
      beforeRetention += 1;
    } else if (opened.size > pass.size) {
      fail(
        pass.size + 1,
        `events ${pass.size + 1} to ${opened.size} were signed in a checkpoint and are gone`,
      );
    } else if (pass.roots.get(opened.size) !== toDigest(opened.root)) {
      fail(
        opened.size,
        `the first ${opened.size} events no longer match the checkpoint signed for them`,
      );
    } else {
      checked += 1;
      covered = true;
    }
  }
  if (marker && !pass.broken)
    checkPurge(chain, marker, pass.purgeRecords, covered, { now, retentionDays }, fail);
  return {
    chain,
    events: pass.events,
    purgedThrough,
    checkpoints: checked,
    beforeRetention,
    broken: pass.broken,
  };
}

/**
 * A retention marker lets the database delete events, so it must show it is a genuine purge:
 * a checkpoint signed before it covers the purged events (the compact range and the last purged
 * event then match a signed root), an `audit.purged` event after it records it, and no purged
 * event was younger than the configured retention when that event was written.
 */
function checkPurge(
  chain: string,
  marker: RetentionMarker,
  /** The events after the marker that may record a purge. */
  rows: ReadonlyArray<Pick<ChainLinkRow, 'seq' | 'entry'>>,
  covered: boolean,
  { now, retentionDays }: { now: Date; retentionDays: number },
  fail: (seq: number, reason: string) => void,
): void {
  const k = marker.throughSeq;
  if (!covered) {
    fail(k, `events up to ${k} were purged without a signed checkpoint covering them`);
    return;
  }
  const objectId = `${chain}:${k}`;
  const record = rows
    .map((r) => ({ seq: r.seq, entry: parseEntry(r.entry) }))
    .find((r) => r.entry?.action === 'audit.purged' && r.entry.objectId === objectId);
  const lastAt = Date.parse(parseEntry(marker.lastEntry)?.at ?? '');
  const purgedAt = Date.parse(record?.entry?.at ?? '');
  if (!record || Number.isNaN(purgedAt) || Number.isNaN(lastAt)) {
    fail(k, `no audit.purged event records the purge of events up to ${k}`);
  } else if (purgedAt > now.getTime() + DAY_MS) {
    fail(record.seq, `the purge of events up to ${k} is dated in the future`);
  } else if (purgedAt - lastAt < retentionDays * DAY_MS) {
    fail(k, `event ${k} was purged less than ${retentionDays} days after it was written`);
  }
}

function parseEntry(text: string): { at?: string; action?: string; objectId?: string } | null {
  try {
    return JSON.parse(text) as { at?: string; action?: string; objectId?: string };
  } catch {
    return null;
  }
}

/** The witness file: one JSON line per checkpoint ({chain, size, note}). */
function readWitness(file: string | undefined): Map<string, string[]> {
  const byChain = new Map<string, string[]>();
  if (!file) return byChain;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const { chain, note } = JSON.parse(line) as { chain: string; note: string };
    byChain.set(chain, [...(byChain.get(chain) ?? []), note]);
  }
  return byChain;
}
