import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import type { AuditEntry } from './audit-log.js';
import type { AuditSearchQuery, AuditSearchResult, VerificationResult } from './audit.schemas.js';
import { searchEvents } from './audit-event.repository.js';
import { verifyAndRecord } from './verification-job.js';

/**
 * The DPO's console on the audit log: searching the events of their own tenant's
 * chain, newest first, and verifying that chain on demand like `cloison audit verify`.
 */

/** The console's view of one stored event (the SIEM export gives the entry whole). */
function eventView(row: { seq: number; at: string; entry: string }) {
  const e = JSON.parse(row.entry) as AuditEntry;
  return {
    seq: row.seq,
    at: row.at,
    actorKind: e.actorKind,
    actor: e.actorId,
    role: e.actorRole,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    outcome: e.outcome,
    purpose: e.purpose,
    onBehalfOf: e.onBehalfOf,
    ...(e.ip ? { address: e.ip } : {}),
  };
}

/** Events of my tenant's chain matching every filter given, newest first, one page. */
export async function searchAudit(
  deps: AppDeps,
  actor: Actor,
  query: Static<typeof AuditSearchQuery>,
): Promise<Static<typeof AuditSearchResult>> {
  // The chain is the session's tenant: nothing in the query can name another one.
  const chain = requireStaff(actor).tenantId;
  if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
    throw problems.validation('La date de début doit précéder la date de fin.');
  }
  const limit = query.limit ?? 50;
  const rows = await searchEvents(
    deps.db,
    chain,
    {
      actorId: query.actor,
      action: query.action,
      objectType: query.objectType,
      objectId: query.objectId,
      outcome: query.outcome,
      from: query.from ? new Date(query.from).toISOString() : undefined,
      to: query.to ? new Date(query.to).toISOString() : undefined,
      before: query.before,
    },
    limit + 1,
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map(eventView),
    nextBefore: rows.length > limit ? page.at(-1)!.seq : null,
  };
}

/** Verifies my tenant's chain now (a break is recorded, hence alerted, like the periodic job). */
export async function verifyMyChain(
  deps: AppDeps,
  actor: Actor,
): Promise<Static<typeof VerificationResult>> {
  const chain = requireStaff(actor).tenantId;
  const report = (await verifyAndRecord(deps, [chain])).find((r) => r.chain === chain);
  const checkedAt = deps.clock.now().toISOString();
  // No report: the chain holds no event yet, which is trivially intact.
  if (!report) return { ok: true, events: 0, checkpoints: 0, checkedAt };
  return {
    ok: report.broken === null,
    events: report.purgedThrough + report.events,
    checkpoints: report.checkpoints,
    checkedAt,
    ...(report.broken ? { problem: { seq: report.broken.seq, reason: report.broken.reason } } : {}),
  };
}
