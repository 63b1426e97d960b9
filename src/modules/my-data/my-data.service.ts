import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { findAccountById } from '../auth/account.repository.js';
import { listConsultations } from '../audit/consultations.js';
import { listCaseEntries } from '../case-entries/entry.service.js';
import { getCase, listCases } from '../cases/case.service.js';
import { listCaseDocuments } from '../documents/document.service.js';
import { listMyPersons } from '../persons/person.service.js';
import type { MyDataExport } from './my-data.schemas.js';

type Export = Static<typeof MyDataExport>;

/** The listing's own page size: the export walks every page (nothing is cut silently). */
const PAGE = 200;
/** Consultations of one person's files: read whole (a cap far above any real file's life). */
const EVERY_CONSULTATION = 1_000_000;

/**
 * The usager's data (GDPR art. 15 and 20), assembled only through the services every page uses:
 * each case, message and document goes through the same policy as when it is read one by one,
 * so the export can hold nothing the usager could not already open. Document bytes stay out;
 * each document carries the path that downloads it.
 */
export async function exportMyData(deps: AppDeps, actor: Actor): Promise<Export> {
  if (actor.kind !== 'usager') throw problems.forbidden();
  const account = await findAccountById(deps.db, actor.accountId);
  if (!account) throw problems.unauthenticated();
  const persons = await listMyPersons(deps, actor);
  const ids: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await listCases(deps, actor, { limit: PAGE, offset });
    ids.push(...page.items.map((c) => c.id));
    if (page.items.length < PAGE) break;
  }
  const cases: Export['cases'] = [];
  for (const caseId of ids) {
    // abilities and nextStatuses are left out by the response schema (MyDataExport).
    const detail = await getCase(deps, actor, caseId);
    const messages = await listCaseEntries(deps, actor, 'messages', caseId);
    const documents = await listCaseDocuments(deps, actor, caseId);
    cases.push({
      case: detail,
      messages: messages.items,
      documents: documents.items.map((d) => ({
        ...d,
        downloadPath: `/api/v1/documents/${d.id}/content`,
      })),
    });
  }
  const consultations = await listConsultations(deps, actor, EVERY_CONSULTATION);
  return {
    exportedAt: deps.clock.now().toISOString(),
    account: {
      id: account.id,
      email: account.email,
      displayName: account.display_name,
      createdAt: account.created_at,
      lastLoginAt: account.last_login_at,
      emailVerifiedAt: account.email_verified_at,
      secondFactorEnrolled: account.mfa_enrolled_at !== null,
    },
    persons: persons.items,
    cases,
    consultations: consultations.items,
  };
}
