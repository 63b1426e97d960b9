/**
 * The départements of the platform, for the operator: the list, and a new one with its first two
 * administrators, who receive their activation links by mail (src/modules/tenants).
 */
import type { Static } from '@sinclair/typebox';
import type {
  CreatedTenantView,
  NewTenantBody,
  TenantSummary as TenantSummarySchema,
} from '../../../src/modules/tenants/tenants.schemas';
import { api } from './client';

/** A département as GET /api/v1/tenants lists it, with the state of its admins. */
export type TenantSummary = Static<typeof TenantSummarySchema>;

/** What the operator sends to create a département. */
export type NewTenant = Static<typeof NewTenantBody>;

/** What the operator learns of a creation (never the activation links). */
export type CreatedTenant = Static<typeof CreatedTenantView>;

/** Every département of the platform (operator). */
export const listTenants = async () =>
  (await api.get<{ items: TenantSummary[] }>('/api/v1/tenants')).items;

/** Creates a département and mails its two admins their activation links (operator). */
export const createTenant = (body: NewTenant) => api.post<CreatedTenant>('/api/v1/tenants', body);
