/**
 * The audit log: who consulted my file, the DPO's search and verification, and whether usagers
 * see agents' names (src/modules/audit).
 */
import type { Static } from '@sinclair/typebox';
import type {
  AuditSearchQuery,
  AuditSearchResult as AuditSearchResultSchema,
  ConsultationList,
  ConsultationSetting as ConsultationSettingSchema,
  ConsultationSettingBody,
  VerificationResult,
} from '../../../src/modules/audit/audit.schemas';
import { api, query } from './client';

/** Whether usagers see the names of the agents who consulted their file. */
export type ConsultationSetting = Static<typeof ConsultationSettingSchema>;

/**
 * The DPO's search in the audit log, as the page's address holds it: the server's filters as
 * text (the server parses them), and the page size.
 */
export type AuditSearch = Partial<
  Record<Exclude<keyof Static<typeof AuditSearchQuery>, 'limit'>, string | null>
> & { limit?: number };

export type AuditSearchResult = Static<typeof AuditSearchResultSchema>;

/** The outcome of re-computing the hash chain and its signed checkpoints. */
export type AuditVerification = Static<typeof VerificationResult>;

/** Every access by staff to my cases and their documents. */
export const listMyConsultations = async () =>
  (await api.get<Static<typeof ConsultationList>>('/api/v1/me/consultations')).items;

/** Whether usagers of my département see agents' names, as set now. */
export const getConsultationSetting = () =>
  api.get<ConsultationSetting>('/api/v1/consultation-settings');

/** Sets whether usagers of my département see agents' names. */
export const setConsultationSetting = (setting: Static<typeof ConsultationSettingBody>) =>
  api.put<ConsultationSetting>('/api/v1/consultation-settings', setting);

/** Searches the audit log of my département, newest first. */
export const searchAudit = (search: AuditSearch) =>
  api.get<AuditSearchResult>(`/api/v1/audit/search${query({ ...search })}`);

/** Verifies the audit chain of my département and its signed checkpoints now. */
export const verifyAuditLog = () => api.post<AuditVerification>('/api/v1/audit/verification');
