/**
 * The audit log: who consulted my file, the DPO's search and verification, and whether usagers
 * see agents' names (src/modules/audit).
 *
 * The shapes are written out here because their schemas are declared in
 * src/modules/audit/audit-search.ts, consultations.ts and audit.routes.ts, whose imports reach
 * the whole server; once they move to an audit.schemas.ts these become Static<> like the others.
 */
import { api, query } from './client';

/** One access by staff to my file, as a usager is shown it. */
export interface Consultation {
  at: string;
  role: string | null;
  service: string | null;
  purpose: string | null;
  action: string;
  caseReference: string;
  /** The agent's name, only where the département chose to show it. */
  agentName?: string;
}

/** Whether usagers see the names of the agents who consulted their file. */
export interface ConsultationSetting {
  showNames: boolean;
}

/** The DPO's search in the audit log, as the page's address holds it (text; the server parses). */
export type AuditSearch = Partial<
  Record<
    'actor' | 'action' | 'objectType' | 'objectId' | 'outcome' | 'from' | 'to' | 'before',
    string | null
  >
> & { limit?: number };

/** One event of the audit log as the console shows it. */
export interface AuditEvent {
  seq: number;
  at: string;
  actorKind: string;
  actor: string | null;
  role: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: string;
  purpose: string | null;
  onBehalfOf: string | null;
  address?: string;
}

export interface AuditSearchResult {
  items: AuditEvent[];
  /** Pass as `before` for the next, older page; null when there is none. */
  nextBefore: number | null;
}

/** The outcome of re-computing the hash chain and its signed checkpoints. */
export interface AuditVerification {
  ok: boolean;
  events: number;
  checkpoints: number;
  checkedAt: string;
  problem?: { seq: number; reason: string };
}

/** Every access by staff to my cases and their documents. */
export const listMyConsultations = async () =>
  (await api.get<{ items: Consultation[] }>('/api/v1/me/consultations')).items;

/** Whether usagers of my département see agents' names, as set now. */
export const getConsultationSetting = () =>
  api.get<ConsultationSetting>('/api/v1/consultation-settings');

/** Sets whether usagers of my département see agents' names. */
export const setConsultationSetting = (setting: ConsultationSetting) =>
  api.put<ConsultationSetting>('/api/v1/consultation-settings', setting);

/** Searches the audit log of my département, newest first. */
export const searchAudit = (search: AuditSearch) =>
  api.get<AuditSearchResult>(`/api/v1/audit/search${query({ ...search })}`);

/** Verifies the audit chain of my département and its signed checkpoints now. */
export const verifyAuditLog = () => api.post<AuditVerification>('/api/v1/audit/verification');
