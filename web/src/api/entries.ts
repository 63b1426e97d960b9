/**
 * Messages between the usager and the agents, and internal notes never shown to usagers: the
 * same shape on both (src/modules/case-entries, messages, notes).
 */
import type { Static } from '@sinclair/typebox';
import type { EntryList, EntryView } from '../../../src/modules/case-entries/entry.schemas';
import { api, url } from './client';

export type CaseEntry = Static<typeof EntryView>;
export type EntryKind = 'messages' | 'notes';

/** The messages or the internal notes of a case. */
export const listCaseEntries = async (caseId: string, kind: EntryKind) =>
  (await api.get<Static<typeof EntryList>>(url`/api/v1/cases/${caseId}/${kind}`)).items;

/** Sends a message or adds an internal note to a case. */
export const addCaseEntry = (caseId: string, kind: EntryKind, body: string) =>
  api.post<CaseEntry>(url`/api/v1/cases/${caseId}/${kind}`, { body });
