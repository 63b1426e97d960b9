import { createHash } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { keptAfterMigration } from '../../policy/export-instruction.policy.js';
import { erasePersonsUnderKey } from '../erasure/erasure.service.js';
import { recordSecurityEvent } from '../events/security-events.js';
import type { RequestContext } from '../request-context.js';
import { currentView, readInstruction, requireInstruction } from './export-instruction.service.js';
import {
  exportedPersonsStillHere,
  findDueErasures,
  markAcknowledged,
  markErasureCancelled,
  markSourceErased,
  wasDownloaded,
} from './export-migration.repository.js';
import { signExportStatement } from './export-signature.js';

const DAY_MS = 86_400_000;
const SYSTEM = { kind: 'anonymous' } as const;

function dpoOf(actor: Actor): string {
  if (actor.kind !== 'staff' || actor.role !== 'dpo') throw problems.forbidden();
  return actor.accountId;
}

/** Who acknowledges: the DPO for the recipient, or the recipient's own token. */
function acknowledgerOf(actor: Actor): { account: string } | { token: string } {
  return actor.kind === 'integration' ? { token: actor.tokenId } : { account: dpoOf(actor) };
}

/**
 * The DPO records that the recipient of a migration received it, or the recipient's system
 * posts it with the token bound to the migration. Two proofs from inside the
 * encrypted file: the SHA-256 of its manifest, and the receipt code the manifest carries, which
 * Cloison keeps only as a hash and never shows, so only someone who decrypted the file has it.
 * The file must have been downloaded. The erasure of the source follows after the grace period.
 */
export async function acknowledgeMigration(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  id: string,
  body: { manifestSha256: string; receipt: string },
) {
  const row = await requireInstruction(deps, actor, 'export.acknowledge', id);
  const by = acknowledgerOf(actor);
  const now = deps.clock.now();
  if (row.kind !== 'migration') {
    throw problems.conflict('not-a-migration', 'Seule une migration s’acquitte : un export non.');
  }
  if (row.status !== 'ready' || row.expires_at <= now.toISOString()) {
    throw problems.conflict('export-not-available', 'Cette migration n’est pas prête ou a expiré.');
  }
  if (!(await wasDownloaded(deps.db, row.tenant_id, row.id))) {
    throw problems.conflict(
      'export-not-downloaded',
      'Le fichier de cette migration n’a jamais été téléchargé : rien ne peut en être acquitté.',
    );
  }
  const receiptHash = createHash('sha256').update(body.receipt).digest('hex');
  if (body.manifestSha256 !== row.manifest_sha256 || receiptHash !== row.receipt_hash) {
    await recordSecurityEvent(deps, origin, {
      kind: 'export.acknowledgement-refused',
      actor,
      objectType: 'export-instruction',
      objectId: row.id,
    });
    throw problems.validation(
      'Le manifeste ou le code de réception ne sont pas ceux de cet export : rien n’est effacé.',
    );
  }
  const erasureDueAt = new Date(now.getTime() + deps.config.migrationGraceDays * DAY_MS);
  const acknowledged = await markAcknowledged(deps.db, row.id, row.tenant_id, {
    by,
    at: now.toISOString(),
    erasureDueAt: erasureDueAt.toISOString(),
  });
  if (!acknowledged) throw problems.conflict('export-not-available', 'Cette migration a changé.');
  await recordSecurityEvent(deps, origin, {
    kind: 'export.acknowledged',
    actor,
    objectType: 'export-instruction',
    objectId: row.id,
    detail: { erasureDueAt: erasureDueAt.toISOString(), byToken: 'token' in by },
  });
  // The token may not read the instruction otherwise: it gets what it acknowledged.
  return actor.kind === 'integration'
    ? currentView(deps, row)
    : readInstruction(deps, actor, row.id);
}

/** The DPO stops the source's erasure before it is due: the persons stay. */
export async function cancelSourceErasure(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  id: string,
) {
  const row = await requireInstruction(deps, actor, 'export.cancelErasure', id);
  const dpo = dpoOf(actor);
  const at = deps.clock.now().toISOString();
  if (!(await markErasureCancelled(deps.db, row.tenant_id, row.id, dpo, at))) {
    throw problems.conflict(
      'erasure-not-pending',
      'Aucun effacement n’attend pour cette instruction (déjà fait, ou jamais prévu).',
    );
  }
  await recordSecurityEvent(deps, origin, {
    kind: 'export.erasure-cancelled',
    actor,
    objectType: 'export-instruction',
    objectId: row.id,
  });
  return readInstruction(deps, actor, row.id);
}

/**
 * The job's part: every migration whose grace period has ended has its source erased through
 * the crypto-shredding path, one certificate per person, the tenant key rotated once; a person
 * with an open case is kept unless the acknowledgement decided otherwise. The summary (who was
 * erased, under which certificate, who was kept and why) is signed with the département's key.
 */
export async function eraseMigratedSources(deps: AppDeps): Promise<number> {
  let done = 0;
  for (const row of await findDueErasures(deps.db, deps.clock.now().toISOString())) {
    const persons = await exportedPersonsStillHere(deps.db, row.id, row.tenant_id);
    const eraseOpen = row.erase_open_cases === 1;
    const kept = persons
      .map((p) => ({ personId: p.id, reason: keptAfterMigration(p, eraseOpen) }))
      .filter(
        (k): k is { personId: string; reason: NonNullable<typeof k.reason> } => k.reason !== null,
      );
    const keptIds = new Set(kept.map((k) => k.personId));
    const outcome = await erasePersonsUnderKey(
      deps,
      row.tenant_id,
      persons.filter((p) => !keptIds.has(p.id)),
      {
        reason: 'after-migration',
        reference: `migration ${row.id}`,
        // Acknowledged by the recipient's token, the erasure is the approving DPO's request:
        // their approval of the migration covered the erasure of its source.
        requestedBy: row.acknowledged_by ?? row.decided_by!,
      },
    );
    const at = deps.clock.now().toISOString();
    const summary = JSON.stringify({
      format: 'cloison-migration-erasure-1',
      instructionId: row.id,
      manifestSha256: row.manifest_sha256,
      acknowledgedAt: row.acknowledged_at,
      acknowledgedBy: row.acknowledged_by,
      acknowledgedByToken: row.acknowledged_by_token,
      erasedAt: at,
      erased: outcome.erased,
      kept: [...kept, ...outcome.failed.map((personId) => ({ personId, reason: 'failed' }))],
    });
    const signature = await signExportStatement(deps, row.tenant_id, 'migration-erasure', summary);
    await markSourceErased(deps.db, row.tenant_id, row.id, { at, summary, signature });
    await recordSecurityEvent(deps, null, {
      kind: 'export.source-erased',
      actor: SYSTEM,
      tenantId: row.tenant_id,
      objectType: 'export-instruction',
      objectId: row.id,
      detail: { erased: outcome.erased.length, kept: kept.length + outcome.failed.length },
    });
    done += 1;
  }
  return done;
}
