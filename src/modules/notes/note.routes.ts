import { defineRoute } from '../../http/route.js';
import { CaseParams } from '../common.schemas.js';
import { EntryList, EntryView, NewEntryBody } from '../case-entries/entry.schemas.js';
import { addCaseEntry, listCaseEntries } from '../case-entries/entry.service.js';

// Internal notes: the note.* actions are absent from the usager's abilities in the case policy.
export const noteRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/cases/:caseId/notes',
    summary: 'Internal notes on a case (never shown to the usager)',
    tags: ['notes'],
    policy: { action: 'note.list' },
    params: CaseParams,
    response: EntryList,
    handler: async ({ deps, actor, params }) =>
      listCaseEntries(deps, actor, 'notes', params.caseId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:caseId/notes',
    summary: 'Add an internal note to a case',
    tags: ['notes'],
    policy: { action: 'note.create' },
    params: CaseParams,
    body: NewEntryBody,
    status: 201,
    response: EntryView,
    handler: async ({ deps, actor, params, body }) =>
      addCaseEntry(deps, actor, 'notes', params.caseId, body.body),
  }),
];
