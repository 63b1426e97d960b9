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

/** More cases than one usager ever files; the listing's own maximum. */
const MAX_CASES = 200;

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
  const summaries = await listCases(deps, actor, { limit: MAX_CASES, offset: 0 });
  const cases: Export['cases'] = [];
  for (const summary of summaries.items) {
    const { abilities, nextStatuses, ...detail } = await getCase(deps, actor, summary.id);
    void abilities;
    void nextStatuses;
    const messages = await listCaseEntries(deps, actor, 'messages', summary.id);
    const documents = await listCaseDocuments(deps, actor, summary.id);
    cases.push({
      case: detail,
      messages: messages.items,
      documents: documents.items.map((d) => ({
        ...d,
        downloadPath: `/api/v1/documents/${d.id}/content`,
      })),
    });
  }
  const consultations = await listConsultations(deps, actor, 500);
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
