import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import { PersonErasedError } from '../../crypto/vault.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { breakGlassScope, reachesWithoutBreakGlass } from '../../policy/break-glass.policy.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { findCaseInScope } from '../cases/case.repository.js';
import {
  findGrantOfTenant,
  insertGrant,
  listGrantsOfTenant,
  reviewGrant,
} from './break-glass.repository.js';

const reasonRef = (grantId: string) => ({
  table: 'break_glass_grants',
  column: 'reason',
  rowId: grantId,
});

/**
 * Opens a case outside the actor's assignment: only an instructeur or
 * évaluateur of the case's département who does not already reach it, with a written reason
 * (sealed under the person's key), for `minutes`. The grant and its audit event commit
 * together; the detection rule "break-glass" alerts the DPO from that event.
 */
export async function breakGlass(
  deps: AppDeps,
  actor: Actor,
  caseId: string,
  body: { reason: string; minutes: number },
): Promise<{ id: string; caseId: string; expiresAt: string }> {
  if (actor.kind !== 'staff') throw problems.forbidden();
  const now = deps.clock.now();
  // The département's cases are the candidates, not the assignment: the policy decides.
  const { row } = await requireAuthorized(deps.db, actor, 'case.breakGlass', {
    type: 'case',
    id: caseId,
    table: 'cases',
    find: async () => {
      const found = await findCaseInScope(
        deps.db,
        breakGlassScope(actor),
        caseId,
        now.toISOString(),
      );
      if (found && reachesWithoutBreakGlass(actor, found.facts)) {
        throw problems.conflict(
          'already-reachable',
          'Ce dossier vous est déjà accessible : un accès exceptionnel n’est pas nécessaire.',
        );
      }
      return found;
    },
    facts: (found) => ({ type: 'case', id: found.row.id, case: found.facts }),
  });
  // At least 20 visible characters: the schema (VisibleText) has counted them already.
  const reason = body.reason.trim();
  const cipher = await deps.vault.forPerson(deps.db, row.tenant_id, row.person_id);
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + body.minutes * 60_000).toISOString();
  await insertGrant(deps.db, {
    id,
    tenant_id: row.tenant_id,
    case_id: row.id,
    person_id: row.person_id,
    account_id: actor.accountId,
    reason_enc: cipher.seal(reasonRef(id), reason),
    opened_at: now.toISOString(),
    expires_at: expiresAt,
    verdict: null,
    reviewed_by: null,
    reviewed_at: null,
  });
  return { id, caseId: row.id, expiresAt };
}

/** The département's break-glass grants for the DPO's review, the reason opened for them. */
export async function listBreakGlass(deps: AppDeps, actor: Actor, pendingOnly: boolean) {
  if (actor.kind !== 'staff') throw problems.forbidden();
  const rows = await listGrantsOfTenant(deps.db, actor.tenantId, pendingOnly);
  const items = [];
  for (const r of rows) {
    let reason: string | null = null;
    try {
      const cipher = await deps.vault.forPerson(deps.db, actor.tenantId, r.person_id);
      reason = cipher.open(reasonRef(r.id), r.reason_enc);
    } catch (error) {
      // The person was erased since: the reason went with them.
      if (!(error instanceof PersonErasedError)) throw error;
    }
    items.push({
      id: r.id,
      caseId: r.case_id,
      caseReference: r.reference,
      accountId: r.account_id,
      role: r.role ?? '',
      reason,
      openedAt: r.opened_at,
      expiresAt: r.expires_at,
      verdict: r.verdict,
      reviewedBy: r.reviewed_by,
      reviewedAt: r.reviewed_at,
    });
  }
  return { items };
}

/** The DPO's verdict on a grant: justified, or not (then an incident to follow up). */
export async function reviewBreakGlass(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  grantId: string,
  verdict: 'justified' | 'unjustified',
): Promise<void> {
  if (actor.kind !== 'staff') throw problems.forbidden();
  const tenantId = actor.tenantId;
  const row = await requireAuthorized(deps.db, actor, 'breakGlass.review', {
    type: 'break-glass-grant',
    id: grantId,
    table: 'break_glass_grants',
    find: () => findGrantOfTenant(deps.db, tenantId, grantId),
    facts: (grant) => ({
      type: 'break-glass-grant',
      id: grant.id,
      tenantId: grant.tenant_id,
      accountId: grant.account_id,
    }),
  });
  const done = await reviewGrant(deps.db, row.id, {
    verdict,
    reviewedBy: actor.accountId,
    at: deps.clock.now().toISOString(),
  });
  if (!done) throw problems.conflict('already-reviewed', 'Cet accès a déjà été examiné.');
  await recordSecurityEvent(deps, origin, {
    kind: 'break-glass.reviewed',
    actor,
    objectType: 'break-glass-grant',
    objectId: grantId,
    detail: { verdict },
  });
}
