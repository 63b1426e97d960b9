/**
 * Staff of the département: the list, new accounts and role changes decided by a second admin,
 * and a new agent's activation (src/modules/staff).
 */
import type { Static } from '@sinclair/typebox';
import type { LoginResult } from '../../../src/modules/auth/auth.schemas';
import type {
  ActivationBody,
  DecisionReceipt,
  PendingRequest,
  RequestReceipt,
  RoleRequestBody,
  StaffMember as StaffMemberSchema,
  StaffRequestBody,
} from '../../../src/modules/staff/staff.schemas';
import { api, url } from './client';

export type StaffRequest = Static<typeof PendingRequest>;

/** A staff account as GET /api/v1/staff lists it. */
export type StaffMember = Static<typeof StaffMemberSchema>;

/** The staff accounts of my département (responsable and admin). */
export const listStaff = async () =>
  (await api.get<{ items: StaffMember[] }>('/api/v1/staff')).items;

/** Asks for a new staff account; another admin must approve it. */
export const requestStaffAccount = (body: Static<typeof StaffRequestBody>) =>
  api.post<Static<typeof RequestReceipt>>('/api/v1/staff', body);

/** Asks for a new role for an account; another admin must approve it. */
export const requestRoleChange = (accountId: string, body: Static<typeof RoleRequestBody>) =>
  api.post<Static<typeof RequestReceipt>>(url`/api/v1/accounts/${accountId}/role-requests`, body);

/** The requests waiting for a second admin's decision. */
export const listStaffRequests = async () =>
  (await api.get<{ items: StaffRequest[] }>('/api/v1/staff-requests')).items;

/** Approves another admin's request. */
export const approveStaffRequest = (requestId: string) =>
  api.post<Static<typeof DecisionReceipt>>(url`/api/v1/staff-requests/${requestId}/approve`);

/** Refuses another admin's request. */
export const refuseStaffRequest = (requestId: string) =>
  api.post<Static<typeof DecisionReceipt>>(url`/api/v1/staff-requests/${requestId}/refuse`);

/** Activates an approved account with the mailed token and a first password (signs in). */
export const activateAccount = (body: Static<typeof ActivationBody>) =>
  api.post<Static<typeof LoginResult>>('/api/v1/auth/activate', body);
