import fs from 'node:fs';
import { MIN_AUDIT_RETENTION_DAYS } from '../../config.js';
import type { DbOrTx } from '../../db/database.js';
import type { AuditEventTable } from '../../db/schema.js';
import { chainHash, DAY_MS, GENESIS, leafHash } from './audit-log.js';
import { PAGE, parseMarker, yieldToRequests, type RetentionMarker } from './chain-tree.js';
import { TreeBuilder } from './merkle.js';
import { openNote } from './signed-note.js';
import { findLowestSeqThrough, listEventChains, listEventPage } from './audit-event.repository.js';
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
}

type Broken = ChainReport['broken'];

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
  { now, retentionDays }: { now: Date; retentionDays: number },
): Promise<ChainReport> {
  // Checkpoints first, events after: a checkpoint signed meanwhile covers no event we miss.
  const checkpointNotes = await listCheckpointNotes(db, chain);
  const key = await findLogKey(db, chain);
  const markerRow = await findLatestMarkerRow(db, chain);
  const marker = markerRow ? parseMarker(markerRow) : null;
  const purgedThrough = markerRow?.through_seq ?? 0;
  const reappeared = await findLowestSeqThrough(db, chain, purgedThrough);

  const notes = [...checkpointNotes, ...witnessNotes].map((note) =>
    key ? openNote(note, key.key_name, key.public_key) : null,
  );
  const wanted = new Set(notes.map((n) => n?.size ?? -1));
  const roots = new Map<number, Buffer>();
  const builder = new TreeBuilder(marker?.range);
  let broken: Broken = null;
  const fail = (seq: number, reason: string) => (broken ??= { seq, reason });

  let previous = GENESIS;
  if (markerRow && !marker) fail(purgedThrough, 'the retention marker is malformed');
  if (marker) {
    const last = leafHash(marker.lastEntry);
    if (chainHash(marker.prevChainHash, last) !== marker.chainHash) {
      fail(
        purgedThrough,
        'the retention marker does not hold together (its last event was changed)',
      );
    }
    builder.push(Buffer.from(last, 'hex'));
    if (wanted.has(builder.size)) roots.set(builder.size, builder.root());
    previous = marker.chainHash;
  }
  if (reappeared != null) {
    fail(Number(reappeared), 'an event was put back into the part of the chain retention purged');
  }

  // A page at a time, yielding between pages: a year of events is never all in memory, and a
  // server verifying itself keeps serving requests.
  let events = 0;
  const purgeRecords: AuditEventTable[] = [];
  for (let after = purgedThrough; ;) {
    const page = await listEventPage(db, chain, after, PAGE);
    if (page.length === 0) break;
    for (const row of page) {
      events += 1;
      const expected = purgedThrough + events;
      const leaf = leafHash(row.entry);
      if (row.seq !== expected) {
        fail(expected, `event ${expected} is missing (found ${row.seq} instead)`);
      } else if (leaf !== row.leaf_hash) {
        fail(row.seq, 'the entry was changed (it no longer matches its hash)');
      } else if (chainHash(previous, row.leaf_hash) !== row.chain_hash) {
        fail(row.seq, 'the link does not follow from the previous event (replaced or reordered)');
      }
      previous = row.chain_hash;
      builder.push(Buffer.from(leaf, 'hex'));
      if (wanted.has(builder.size)) roots.set(builder.size, builder.root());
      if (marker && row.entry.includes('"audit.purged"')) purgeRecords.push(row);
    }
    after = page.at(-1)!.seq;
    await yieldToRequests();
  }

  // The chain can be recomputed by whoever rewrites the file; the signed checkpoints cannot
  // without the log's key, and the witness's copy not at all.
  let checked = 0;
  let beforeRetention = 0;
  let covered = false;
  for (const opened of [...notes].sort((a, b) => (a?.size ?? 0) - (b?.size ?? 0))) {
    if (broken) break;
    if (!opened) {
      fail(0, 'a checkpoint does not carry a valid signature of the log key');
    } else if (opened.size < purgedThrough) {
      beforeRetention += 1;
    } else if (opened.size > builder.size) {
      fail(
        builder.size + 1,
        `events ${builder.size + 1} to ${opened.size} were signed in a checkpoint and are gone`,
      );
    } else if (!roots.get(opened.size)?.equals(opened.root)) {
      fail(
        opened.size,
        `the first ${opened.size} events no longer match the checkpoint signed for them`,
      );
    } else {
      checked += 1;
      covered = true;
    }
  }
  if (marker && !broken)
    checkPurge(chain, marker, purgeRecords, covered, { now, retentionDays }, fail);
  return {
    chain,
    events,
    purgedThrough,
    checkpoints: checked,
    beforeRetention,
    broken,
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
  rows: readonly AuditEventTable[],
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
