import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import type { PersonCipher } from '../../crypto/vault.js';
import { isoDay } from '../../clock.js';
import { accountOf, type Actor } from '../../policy/actor.js';
import { ALL_ACTIONS } from '../../policy/actions.js';
import {
  canOnCase,
  caseScope,
  nextStatusesFor,
  readsCaseNarrative,
} from '../../policy/case.policy.js';
import { caseDeadlines } from '../../policy/case-deadlines.js';
import { checklistOfCase } from '../documents/piece-documents.js';
import type { CaseRow } from '../../db/schema.js';
import type { DbOrTx } from '../../db/database.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { findPersonForFiling } from '../persons/person.repository.js';
import { requireCase } from './case-access.js';
import {
  findSubjectName,
  insertCase,
  insertRequestedRights,
  listCasesInScope,
  listRightCodes,
  listRights,
  listSubjectNames,
  nextReference,
  type ScopedCase,
} from './case.repository.js';
import { openName } from '../persons/person-fields.js';
import type {
  CaseDetail,
  CaseListItem,
  CaseListQuery,
  CaseSummary,
  CreateCaseBody,
} from './case.schemas.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { findTenantCode } from '../tenants/tenant.repository.js';

type Summary = Static<typeof CaseSummary>;
type Detail = Static<typeof CaseDetail>;
type ListItem = Static<typeof CaseListItem>;

type SealedName = Parameters<typeof openName>[1];

function summaryOf(
  row: CaseRow,
  cipher: PersonCipher,
  subject: SealedName | undefined,
  today: string,
): Summary {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status as Summary['status'],
    subject: subject ? openName(cipher, subject) : { firstName: '', lastName: '' },
    instructeurId: row.instructeur_id,
    evaluateurId: row.evaluateur_id,
    team: row.team,
    piecesDeadline: row.pieces_deadline,
    deadlines: caseDeadlines(row, today),
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
  };
}

async function toSummary(deps: AppDeps, db: DbOrTx, row: CaseRow): Promise<Summary> {
  const subject = await findSubjectName(db, row.tenant_id, row.person_id);
  const cipher = await deps.vault.forPerson(db, row.tenant_id, row.person_id);
  return summaryOf(row, cipher, subject, isoDay(deps.clock.now()));
}

/** The detail of a case the actor has just been authorized to read. */
async function toDetail(deps: AppDeps, actor: Actor, found: ScopedCase): Promise<Detail> {
  const { row, facts } = found;
  const rights = await listRights(deps.db, row.tenant_id, row.id);
  const cipher = await deps.vault.forPerson(deps.db, row.tenant_id, row.person_id);
  // Completeness is not content: every reader of the case sees which pieces count, never the
  // documents themselves (no id, no name: medical ones stay with the évaluateur).
  const completeness = await checklistOfCase(deps.db, cipher, {
    tenantId: row.tenant_id,
    caseId: row.id,
    today: isoDay(deps.clock.now()),
  });
  const narrative = readsCaseNarrative(actor);
  return {
    ...(await toSummary(deps, deps.db, row)),
    personId: row.person_id,
    renewsCaseId: row.renews_case_id,
    summary: narrative
      ? cipher.openOptional(sealedField.caseSummary(row.id), row.summary_enc)
      : null,
    createdAt: row.created_at,
    rights: rights.map((r) => ({
      code: r.right_code as Detail['rights'][number]['code'],
      decision: r.decision as Detail['rights'][number]['decision'],
      decisionReason: narrative
        ? cipher.openOptional(sealedField.decisionReason(r.id), r.decision_reason_enc)
        : null,
      decidedAt: r.decided_at,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      sessionId: r.session_id,
      sessionSitsOn: r.session_sits_on,
    })),
    completeness,
    abilities: ALL_ACTIONS.filter((a) => canOnCase(actor, a, facts)),
    nextStatuses: nextStatusesFor(actor, facts),
  };
}

/** Cases the actor may see, filtered in SQL by their scope, then by the query's narrowings. */
export async function listCases(deps: AppDeps, actor: Actor, query: Static<typeof CaseListQuery>) {
  const now = deps.clock.now();
  const accountId = accountOf(actor);
  // "Mine" for an actor with no account of its own (an integration): nothing is theirs.
  if (query.assignee === 'me' && accountId === null) return { items: [] };
  const rows = await listCasesInScope(deps.db, caseScope(actor), now.toISOString(), {
    status: query.status,
    ...(query.assignee === 'me' && accountId !== null ? { assignedTo: accountId } : {}),
    unassigned: query.assignee === 'none',
    ...(query.team !== undefined ? { team: query.team } : {}),
    ...(query.overdue === true ? { overdueOn: isoDay(now) } : {}),
    sort: query.sort ?? 'updated',
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  });
  // A scope is one tenant's: one query each for the rights, the names and the keys of the
  // whole page, not one per row.
  const tenantId = rows[0]?.tenant_id;
  if (tenantId === undefined) return { items: [] };
  const caseIds = rows.map((r) => r.id);
  const personIds = rows.map((r) => r.person_id);
  const codesByCase = await listRightCodes(deps.db, tenantId, caseIds);
  const names = new Map(
    (await listSubjectNames(deps.db, tenantId, personIds)).map((n) => [n.id, n]),
  );
  const ciphers = await deps.vault.forPersons(deps.db, tenantId, personIds);
  const items: ListItem[] = rows.map((row) => ({
    ...summaryOf(row, ciphers.get(row.person_id)!, names.get(row.person_id), isoDay(now)),
    rightCodes: (codesByCase.get(row.id) ?? []) as ListItem['rightCodes'],
  }));
  return { items };
}

/** One case, if the actor may read it. */
export async function getCase(deps: AppDeps, actor: Actor, caseId: string): Promise<Detail> {
  const found = await requireCase(deps, actor, 'case.read', caseId);
  return toDetail(deps, actor, found);
}

/** Opens a draft case for a person the actor may file for. */
export async function createCase(
  deps: AppDeps,
  actor: Actor,
  body: Static<typeof CreateCaseBody>,
): Promise<Detail> {
  const now = deps.clock.now();
  const today = isoDay(now);
  const tenantId = actor.kind === 'usager' || actor.kind === 'staff' ? actor.tenantId : null;
  const person = await requireAuthorized(deps.db, actor, 'case.create', {
    type: 'person',
    id: body.personId,
    table: 'persons',
    find: async () =>
      tenantId ? findPersonForFiling(deps.db, tenantId, body.personId, today) : undefined,
    facts: (found) => found,
  });

  const caseId = randomUUID();
  noteAuditedObject('case', caseId);
  await deps.db.transaction().execute(async (trx) => {
    const tenant = await findTenantCode(trx, person.tenantId);
    const reference = await nextReference(trx, person.tenantId, tenant.code, now.getUTCFullYear());
    await insertCase(trx, {
      id: caseId,
      tenant_id: person.tenantId,
      reference,
      person_id: person.id,
      filed_by_account_id: (actor as { accountId: string }).accountId,
      status: 'brouillon',
      team: null,
      instructeur_id: null,
      evaluateur_id: null,
      summary_enc: null,
      pieces_deadline: null,
      submitted_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    await insertRequestedRights(trx, person.tenantId, caseId, body.rights);
  });
  return getCase(deps, actor, caseId);
}
