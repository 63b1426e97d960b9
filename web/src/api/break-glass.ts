/** Break-glass accesses (outside an assignment) and the DPO's review (src/modules/break-glass). */
import type { Static } from '@sinclair/typebox';
import type {
  BreakGlassGrant as BreakGlassGrantSchema,
  BreakGlassGrantList,
} from '../../../src/modules/break-glass/break-glass.schemas';
import { api, url } from './client';

/** One break-glass access to review. */
export type BreakGlassGrant = Static<typeof BreakGlassGrantSchema>;

/** The break-glass accesses of my département still to be judged. */
export const listBreakGlassGrants = async () =>
  (await api.get<Static<typeof BreakGlassGrantList>>('/api/v1/break-glass')).items;

/** Records whether a break-glass access was justified. */
export const reviewBreakGlass = (grantId: string, verdict: 'justified' | 'unjustified') =>
  api.post<void>(url`/api/v1/break-glass/${grantId}/review`, { verdict });
