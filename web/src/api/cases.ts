/** Requests and their workflow: drafts, transitions, assignment, decisions (src/modules/cases). */
import type { Static } from '@sinclair/typebox';
import type {
  AssignmentBody,
  CaseDetail as CaseDetailSchema,
  CaseList,
  CaseListItem as CaseListItemSchema,
  CaseListQuery,
  CaseSummary as CaseSummarySchema,
  CreateCaseBody,
  DecisionBody,
  DecisionParams,
  DraftBody,
  TransitionBody,
} from '../../../src/modules/cases/case.schemas';
import { api, query, url } from './client';

export type CaseSummary = Static<typeof CaseSummarySchema>;
export type CaseListItem = Static<typeof CaseListItemSchema>;
export type CaseDetail = Static<typeof CaseDetailSchema>;
export type CaseFilters = Static<typeof CaseListQuery>;

/** The cases I may see (my requests, or my queue), filtered and paged by the server. */
export const listCases = async (filters: CaseFilters = {}) =>
  (await api.get<Static<typeof CaseList>>(`/api/v1/cases${query(filters)}`)).items;

/** One case, with what I may do with it (abilities, next statuses). */
export const getCase = (caseId: string) => api.get<CaseDetail>(url`/api/v1/cases/${caseId}`);

/** Opens a draft request for a person I may file for. */
export const createCase = (body: Static<typeof CreateCaseBody>) =>
  api.post<CaseDetail>('/api/v1/cases', body);

/** Saves a draft: the rights asked for and the situation. */
export const saveCaseDraft = (caseId: string, body: Static<typeof DraftBody>) =>
  api.put<CaseDetail>(url`/api/v1/cases/${caseId}/draft`, body);

/** Moves a case along the workflow. */
export const transitionCase = (caseId: string, body: Static<typeof TransitionBody>) =>
  api.post<CaseDetail>(url`/api/v1/cases/${caseId}/transitions`, body);

/** Names the instructeur, the évaluateur médical and the team of a case. */
export const assignCase = (caseId: string, body: Static<typeof AssignmentBody>) =>
  api.put<CaseDetail>(url`/api/v1/cases/${caseId}/assignment`, body);

/** Records the CDAPH's decision on one requested right. */
export const decideRight = (
  caseId: string,
  right: Static<typeof DecisionParams>['right'],
  body: Static<typeof DecisionBody>,
) => api.put<CaseDetail>(url`/api/v1/cases/${caseId}/rights/${right}/decision`, body);

/** Starts a renewal request of a notified case: a draft asking again for its granted rights. */
export const renewCase = (caseId: string) =>
  api.post<CaseDetail>(url`/api/v1/cases/${caseId}/renewal`);
