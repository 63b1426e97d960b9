import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { caseScope } from '../../policy/case.policy.js';
import {
  findShowsAgentNames,
  listCaseReferencesInScope,
  listDisplayNames,
  listDocumentsOfCases,
  listStaffAccessesTo,
  saveShowsAgentNames,
} from './consultation.repository.js';
import type { ConsultationView } from './audit.schemas.js';

type Consultation = Static<typeof ConsultationView>;

/**
 * "Who consulted my file": every access by staff, read from the audit log, to
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
  const cases = await listCaseReferencesInScope(
    deps.db,
    caseScope(actor),
    deps.clock.now().toISOString(),
  );
  if (cases.length === 0) return { items: [] };
  const referenceOf = new Map(cases.map((c) => [c.id, c.reference]));
  const documents = await listDocumentsOfCases(deps.db, actor.tenantId, [...referenceOf.keys()]);
  const caseOfDocument = new Map(documents.map((d) => [d.id, d.case_id]));
  const objectIds = [...referenceOf.keys(), ...caseOfDocument.keys()];
  const rows = await listStaffAccessesTo(deps.db, actor.tenantId, objectIds, limit);
  const names = new Map<string, string>();
  if (await findShowsAgentNames(deps.db, actor.tenantId)) {
    const ids = [...new Set(rows.map((r) => (JSON.parse(r.entry) as { actorId: string }).actorId))];
    if (ids.length > 0) {
      const staff = await listDisplayNames(deps.db, actor.tenantId, ids);
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

/** The département's choice of naming agents in "who consulted my file", as the DPO sees it. */
export async function getConsultationNames(
  deps: AppDeps,
  actor: Actor,
): Promise<{ showNames: boolean }> {
  return { showNames: await findShowsAgentNames(deps.db, requireStaff(actor).tenantId) };
}

/** The DPO's choice, for their own tenant only. */
export async function setConsultationNames(
  deps: AppDeps,
  actor: Actor,
  showNames: boolean,
): Promise<{ showNames: boolean }> {
  await saveShowsAgentNames(deps.db, requireStaff(actor).tenantId, showNames);
  return { showNames };
}
