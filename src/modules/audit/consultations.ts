import { sql } from 'kysely';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { caseScope } from '../../policy/case.policy.js';
import { whereInScope } from '../cases/case.repository.js';

/** What a usager is shown of one access by staff to their file. */
export interface Consultation {
  readonly at: string;
  readonly role: string | null;
  readonly service: string | null;
  readonly purpose: string | null;
  readonly action: string;
  readonly caseReference: string;
}

/**
 * "Who consulted my file" (issue 5 item 3): every access by staff, read from the audit log, to
 * the cases the usager may see (their own and those of the persons they represent) and to the
 * documents of those cases. Role, service and purpose; no names of agents (the tenant setting
 * that would allow them is still to come).
 */
export async function listConsultations(
  deps: AppDeps,
  actor: Actor,
  limit: number,
): Promise<{ items: Consultation[] }> {
  if (actor.kind !== 'usager') throw problems.forbidden();
  const cases = await whereInScope(
    deps.db.selectFrom('cases').select(['cases.id', 'cases.reference']),
    caseScope(actor),
    isoDay(deps.clock.now()),
  ).execute();
  if (cases.length === 0) return { items: [] };
  const referenceOf = new Map(cases.map((c) => [c.id, c.reference]));
  const documents = await deps.db
    .selectFrom('documents')
    .select(['id', 'case_id'])
    .where('case_id', 'in', [...referenceOf.keys()])
    .execute();
  const caseOfDocument = new Map(documents.map((d) => [d.id, d.case_id]));
  const objectIds = [...referenceOf.keys(), ...caseOfDocument.keys()];
  const rows = await deps.db
    .selectFrom('audit_events')
    .select(['at', 'entry'])
    .where('chain', '=', actor.tenantId)
    .where(sql<string>`json_extract(entry, '$.actorKind')`, '=', 'staff')
    .where(sql<string>`json_extract(entry, '$.outcome')`, '=', 'allowed')
    .where(sql<string>`json_extract(entry, '$.objectId')`, 'in', objectIds)
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return {
    items: rows.map((r) => {
      const e = JSON.parse(r.entry) as {
        actorRole: string | null;
        actorTeam: string | null;
        purpose: string | null;
        action: string;
        objectType: string;
        objectId: string;
      };
      const caseId = e.objectType === 'document' ? caseOfDocument.get(e.objectId)! : e.objectId;
      return {
        at: r.at,
        role: e.actorRole,
        service: e.actorTeam,
        purpose: e.purpose,
        action: e.action,
        caseReference: referenceOf.get(caseId) ?? '',
      };
    }),
  };
}
