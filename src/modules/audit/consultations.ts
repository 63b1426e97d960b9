import { sql } from 'kysely';
import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from '../common.schemas.js';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { caseScope } from '../../policy/case.policy.js';
import { whereInScope } from '../cases/case.repository.js';

/** What a usager is shown of one access by staff to their file (also in their data export). */
export const ConsultationView = Type.Object({
  at: Timestamp,
  role: Type.Union([Type.String(), Type.Null()]),
  service: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  caseReference: Type.String(),
  /** The agent's name, only where the département chose to show it. */
  agentName: Type.Optional(Type.String()),
});
export type Consultation = Static<typeof ConsultationView>;

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
  const names = new Map<string, string>();
  if (await showsNames(deps, actor.tenantId)) {
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

/** Whether the tenant shows usagers the names of the agents who consulted their file. */
async function showsNames(deps: AppDeps, tenantId: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom('tenants')
    .select('consultations_show_names')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return row?.consultations_show_names === 1;
}

/** The département's choice of naming agents in "who consulted my file", as the DPO sees it. */
export async function getConsultationNames(
  deps: AppDeps,
  actor: Actor,
): Promise<{ showNames: boolean }> {
  return { showNames: await showsNames(deps, requireStaff(actor).tenantId) };
}

/** The DPO's choice, for their own tenant only. */
export async function setConsultationNames(
  deps: AppDeps,
  actor: Actor,
  showNames: boolean,
): Promise<{ showNames: boolean }> {
  await deps.db
    .updateTable('tenants')
    .set({ consultations_show_names: showNames ? 1 : 0 })
    .where('id', '=', requireStaff(actor).tenantId)
    .execute();
  return { showNames };
}
