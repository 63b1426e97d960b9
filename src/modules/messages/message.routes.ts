import { defineRoute } from '../../http/route.js';
import { CaseParams } from '../common.schemas.js';
import { EntryList, EntryView, NewEntryBody } from '../case-entries/entry.schemas.js';
import { addCaseEntry, listCaseEntries } from '../case-entries/entry.service.js';

export const messageRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/cases/:caseId/messages',
    summary: 'Messages between the usager and the agents on a case',
    tags: ['messages'],
    policy: { action: 'message.list' },
    params: CaseParams,
    response: EntryList,
    handler: async ({ deps, actor, params }) =>
      listCaseEntries(deps, actor, 'messages', params.caseId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:caseId/messages',
    summary: 'Send a message on a case',
    tags: ['messages'],
    policy: { action: 'message.create' },
    params: CaseParams,
    body: NewEntryBody,
    status: 201,
    response: EntryView,
    handler: async ({ deps, actor, params, body }) =>
      addCaseEntry(deps, actor, 'messages', params.caseId, body.body),
  }),
];
