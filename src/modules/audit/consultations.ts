import { sql } from 'kysely';
import type { AppDeps } from '../../deps.js';
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
  /** The agent's name, only where the département chose to show it. */
  readonly agentName?: string;
}

/**
 * "Who consulted my file" (issue 5 item 3): every access by staff, read from the audit log, to
 * the cases the usager may see (their own and those of the persons they represent) and to the
 * documents of those cases. Role, service and purpose; the agent's name only where the
 * département chose to show names (`PUT /api/v1/consultation-settings`).
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
    deps.clock.now().toISOString(),
  ).execute();
  if (cases.length === 0) return { items: [] };
  const referenceOf = new Map(cases.map((c) => [c.id, c.reference]));
  const documents = await deps.db
    .selectFrom('documents')
    .select(['id', 'case_id'])
    .where('tenant_id', '=', actor.tenantId)
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
  const showNames = await deps.db
    .selectFrom('tenants')
    .select('consultations_show_names')
    .where('id', '=', actor.tenantId)
    .executeTakeFirst();
  const names = new Map<string, string>();
  if (showNames?.consultations_show_names === 1) {
    const ids = [...new Set(rows.map((r) => (JSON.parse(r.entry) as { actorId: string }).actorId))];
    if (ids.length > 0) {
      const staff = await deps.db
        .selectFrom('accounts')
        .select(['id', 'display_name'])
        .where('tenant_id', '=', actor.tenantId)
        .where('id', 'in', ids)
        .execute();
      for (const s of staff) names.set(s.id, s.display_name);
    }
  }
  return {
    items: rows.map((r) => {
      const e = JSON.parse(r.entry) as {
        actorId: string;
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
        ...(names.has(e.actorId) ? { agentName: names.get(e.actorId)! } : {}),
      };
    }),
  };
}

/** The département's choice of naming agents in "who consulted my file" (the DPO's). */
/** Whether usagers of my tenant see the names of the agents who consulted their file. */
export async function getConsultationNames(
  deps: AppDeps,
  actor: Actor,
): Promise<{ showNames: boolean }> {
  if (actor.kind !== 'staff') throw problems.forbidden();
  const row = await deps.db
    .selectFrom('tenants')
    .select('consultations_show_names')
    .where('id', '=', actor.tenantId)
    .executeTakeFirstOrThrow();
  return { showNames: row.consultations_show_names === 1 };
}

export async function setConsultationNames(
  deps: AppDeps,
  actor: Actor,
  showNames: boolean,
): Promise<{ showNames: boolean }> {
  if (actor.kind !== 'staff') throw problems.forbidden();
  await deps.db
    .updateTable('tenants')
    .set({ consultations_show_names: showNames ? 1 : 0 })
    .where('id', '=', actor.tenantId)
    .execute();
  return { showNames };
}
