import type { Db } from '../../db/database.js';
import type { AppDeps } from '../../deps.js';
import { VerifiedNotes } from './checkpoint-notes.js';
import { appendAudit, systemEntry } from './audit-log.js';
import { verifyAuditChains, type ChainReport } from './verify.js';
import { listEntriesNamingAction } from './audit-event.repository.js';

/**
 * Periodic verification, so tampering is found without anyone asking: the server re-verifies
 * every chain every CLOISON_AUDIT_VERIFY_SECONDS. A breakage is written into the broken chain
 * itself as one `audit.verification-failed` event (which the detection rules turn into an alert)
 * and logged as an error with the chain, the sequence number and the reason; never an entry's
 * content.
 *
 * Verification reports the first break of a chain. Once reported at sequence n, the chain
 * stays broken from n on whatever is appended after, and a break reported at n can move later
 * (a deleted tail: each event appended to report it shifts where the gap starts), so a break
 * counts as new only when it is earlier than every one already reported for that chain.
 */

const FAILED = 'audit.verification-failed';

/** The sequence numbers of the breaks already recorded in a chain. */
async function reportedBreaks(deps: AppDeps, chain: string): Promise<number[]> {
  const entries = await listEntriesNamingAction(deps.db, chain, FAILED);
  const seqs: number[] = [];
  for (const entry of entries) {
    let parsed: { action?: string; objectId?: string } = {};
    try {
      parsed = JSON.parse(entry) as typeof parsed;
    } catch {
      continue;
    }
    const m = parsed.action === FAILED ? /:(\d+)$/.exec(parsed.objectId ?? '') : null;
    if (m) seqs.push(Number(m[1]));
  }
  return seqs;
}

async function recordBreak(deps: AppDeps, report: ChainReport): Promise<boolean> {
  const broken = report.broken!;
  if ((await reportedBreaks(deps, report.chain)).some((seq) => seq <= broken.seq)) return false;
  deps.log.error(
    { chain: report.chain, seq: broken.seq, reason: broken.reason },
    'audit chain verification failed',
  );
  await appendAudit(
    deps.db,
    systemEntry(deps.clock.now().toISOString(), report.chain, broken.seq, {
      action: FAILED,
      outcome: 'failed',
    }),
  );
  return true;
}

/**
 * The checkpoint notes each database's runs have verified: a server re-verifies every few
 * minutes, and re-checking every signature of a year of checkpoints each time would cost more
 * than hashing the events. Events are hashed again every run; a note is taken as checked only
 * when its exact text under the exact key was.
 */
const verifiedNotesOf = new WeakMap<Db, VerifiedNotes>();

function verifiedNotes(db: Db): VerifiedNotes {
  let notes = verifiedNotesOf.get(db);
  if (!notes) verifiedNotesOf.set(db, (notes = new VerifiedNotes()));
  return notes;
}

/** Verifies every chain (or only those given) and records each new break; returns the reports. */
export async function verifyAndRecord(
  deps: AppDeps,
  chains?: readonly string[],
): Promise<ChainReport[]> {
  const reports = await verifyAuditChains(deps.db, {
    ...(chains ? { chains } : {}),
    now: deps.clock.now(),
    retentionDays: deps.config.auditRetentionDays,
    ...(deps.config.auditWitnessFile ? { witnessFile: deps.config.auditWitnessFile } : {}),
    verifiedNotes: verifiedNotes(deps.db),
  });
  for (const report of reports) {
    if (!report.broken) continue;
    // A chain whose appends fail (its triggers sabotaged) is still logged, every time.
    await recordBreak(deps, report).catch((error: unknown) =>
      deps.log.error(
        {
          chain: report.chain,
          seq: report.broken!.seq,
          reason: report.broken!.reason,
          err: error instanceof Error ? error.message : String(error),
        },
        'audit chain verification failed, and the failure could not be recorded in it',
      ),
    );
  }
  return reports;
}
