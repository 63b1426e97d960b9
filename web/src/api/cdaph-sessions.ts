/** CDAPH sessions: planning, members, agenda, opening and closing (src/modules/cdaph-sessions). */
import type { Static } from '@sinclair/typebox';
import type {
  CloseSessionBody,
  CreateSessionBody,
  SessionDetail as SessionDetailSchema,
  SessionList,
  SessionListQuery,
  SessionSummary as SessionSummarySchema,
} from '../../../src/modules/cdaph-sessions/cdaph-session.schemas';
import { api, query, url } from './client';

export type SessionSummary = Static<typeof SessionSummarySchema>;
export type SessionDetail = Static<typeof SessionDetailSchema>;
export type AgendaItem = SessionDetail['agenda'][number];

/** The sessions I may see: the département's (secretariat), or those I sit in (member). */
export const listSessions = async (filters: Static<typeof SessionListQuery> = {}) =>
  (await api.get<Static<typeof SessionList>>(`/api/v1/cdaph-sessions${query(filters)}`)).items;

/** One session, its members and its agenda. */
export const getSession = (sessionId: string) =>
  api.get<SessionDetail>(url`/api/v1/cdaph-sessions/${sessionId}`);

/** Plans a session: day, time, formation, members. */
export const createSession = (body: Static<typeof CreateSessionBody>) =>
  api.post<SessionDetail>('/api/v1/cdaph-sessions', body);

/** Sets who sits in a session. */
export const setSessionMembers = (sessionId: string, memberIds: string[]) =>
  api.put<SessionDetail>(url`/api/v1/cdaph-sessions/${sessionId}/members`, { memberIds });

/** Puts a case awaiting the CDAPH on the agenda. */
export const addToAgenda = (sessionId: string, caseId: string) =>
  api.post<SessionDetail>(url`/api/v1/cdaph-sessions/${sessionId}/agenda`, { caseId });

/** Takes a case off the agenda (postponed). */
export const removeFromAgenda = (sessionId: string, caseId: string) =>
  api.del<SessionDetail>(url`/api/v1/cdaph-sessions/${sessionId}/agenda/${caseId}`);

/** Opens a planned session, on its day. */
export const openSession = (sessionId: string) =>
  api.post<SessionDetail>(url`/api/v1/cdaph-sessions/${sessionId}/open`);

/** Closes a session with its minutes. */
export const closeSession = (sessionId: string, body: Static<typeof CloseSessionBody>) =>
  api.post<SessionDetail>(url`/api/v1/cdaph-sessions/${sessionId}/close`, body);
