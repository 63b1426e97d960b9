import { defineRoute } from '../../http/route.js';
import { CaseParams } from '../common.schemas.js';
import {
  AssignmentBody,
  CaseDetail,
  CaseList,
  CaseListQuery,
  CreateCaseBody,
  DecisionBody,
  DecisionParams,
  DraftBody,
  TransitionBody,
} from './case.schemas.js';
import { createCase, getCase, listCases } from './case.service.js';
import { editDraft } from './case-draft.service.js';
import { renewCase } from './case-renewal.service.js';
import { assignCase, decideRight, transitionCase } from './case-workflow.service.js';

export const caseRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/cases',
    summary: 'Cases I may see (my requests, or my queue)',
    tags: ['cases'],
    policy: { action: 'case.list' },
    querystring: CaseListQuery,
    response: CaseList,
    handler: async ({ deps, actor, query }) => listCases(deps, actor, query),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases',
    summary: 'Open a draft request for a person I may file for',
    tags: ['cases'],
    policy: { action: 'case.create' },
    body: CreateCaseBody,
    status: 201,
    response: CaseDetail,
    handler: async ({ deps, actor, body }) => createCase(deps, actor, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/cases/:caseId',
    summary: 'One case',
    tags: ['cases'],
    policy: { action: 'case.read' },
    params: CaseParams,
    response: CaseDetail,
    handler: async ({ deps, actor, params }) => getCase(deps, actor, params.caseId),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/cases/:caseId/draft',
    summary: 'Save a draft request: the rights asked for and the situation (sealed)',
    tags: ['cases'],
    policy: { action: 'case.editDraft' },
    params: CaseParams,
    body: DraftBody,
    response: CaseDetail,
    handler: async ({ deps, actor, params, body }) => editDraft(deps, actor, params.caseId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:caseId/transitions',
    summary: 'Move a case along the workflow',
    tags: ['cases'],
    policy: { action: 'case.transition' },
    params: CaseParams,
    body: TransitionBody,
    response: CaseDetail,
    handler: async ({ deps, actor, params, body }) =>
      transitionCase(deps, actor, params.caseId, body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/cases/:caseId/assignment',
    summary: 'Assign a case to an instructeur, an évaluateur médical or a team',
    tags: ['cases'],
    policy: { action: 'case.assign' },
    params: CaseParams,
    body: AssignmentBody,
    response: CaseDetail,
    handler: async ({ deps, actor, params, body }) => assignCase(deps, actor, params.caseId, body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/cases/:caseId/rights/:right/decision',
    summary: 'Record the CDAPH decision on one requested right',
    tags: ['cases'],
    policy: { action: 'case.decide' },
    params: DecisionParams,
    body: DecisionBody,
    response: CaseDetail,
    handler: async ({ deps, actor, params, body }) =>
      decideRight(deps, actor, params.caseId, params.right, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:caseId/renewal',
    summary: 'Start a renewal request: a draft asking again for the rights this case granted',
    tags: ['cases'],
    policy: { action: 'case.renew' },
    params: CaseParams,
    status: 201,
    response: CaseDetail,
    handler: async ({ deps, actor, params }) => renewCase(deps, actor, params.caseId),
  }),
];
