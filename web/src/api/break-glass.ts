/** Break-glass accesses (outside an assignment) and the DPO's review (src/modules/break-glass). */
import { api, url } from './client';

/**
 * One break-glass access to review. Written out here because its schema is declared inside
 * src/modules/break-glass/break-glass.routes.ts, whose imports reach the whole server; once it
 * moves to a schemas file this becomes a Static<> like the others.
 */
export interface BreakGlassGrant {
  id: string;
  caseId: string;
  caseReference: string;
  accountId: string;
  role: string;
  reason: string | null;
  openedAt: string;
  expiresAt: string;
  verdict: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
}

/** The break-glass accesses of my département still to be judged. */
export const listBreakGlassGrants = async () =>
  (await api.get<{ items: BreakGlassGrant[] }>('/api/v1/break-glass')).items;

/** Records whether a break-glass access was justified. */
export const reviewBreakGlass = (grantId: string, verdict: 'justified' | 'unjustified') =>
  api.post<void>(url`/api/v1/break-glass/${grantId}/review`, { verdict });
