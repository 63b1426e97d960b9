/** The retention schedule (src/modules/retention): public, and the département's own. */
import type { Static } from '@sinclair/typebox';
import type { RetentionSchedule } from '../../../src/modules/retention/retention.schemas';
import { api, url } from './client';

export type Schedule = Static<typeof RetentionSchedule>;

/** A département's live schedule, for anyone. */
export const publicRetention = (code: string) =>
  api.get<Schedule>(url`/api/v1/public/tenants/${code}/retention`);

/** My département's schedule, with what its DPO may change. */
export const tenantRetention = () => api.get<Schedule>('/api/v1/retention/schedule');

/** The DPO changes one rule within its bounds; the new schedule comes back. */
export const changeRetentionRule = (
  kind: string,
  body: { activeDays: number; archiveDays: number; reason: string },
) => api.put<Schedule>(url`/api/v1/retention/rules/${kind}`, body);
