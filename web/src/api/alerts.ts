/** The alert inbox of the département and where alerts are sent (src/modules/alerts). */
import type { Static } from '@sinclair/typebox';
import type { ChannelList } from '../../../src/modules/alerts/alert-channel.schemas';
import type {
  AlertItem as AlertItemSchema,
  AlertList,
} from '../../../src/modules/alerts/alert.schemas';
import { api, url } from './client';

/** One alert of the inbox. */
export type AlertItem = Static<typeof AlertItemSchema>;

/** The alerts of my département. */
export const listAlerts = async () =>
  (await api.get<Static<typeof AlertList>>('/api/v1/alerts')).items;

/** Acknowledges (someone is on it) or resolves an alert. */
export const decideAlert = (alertId: string, decision: 'acknowledge' | 'resolve') =>
  api.post<void>(url`/api/v1/alerts/${alertId}/${decision}`);

/** Where the alerts of my département are sent. */
export const listAlertChannels = async () =>
  (await api.get<Static<typeof ChannelList>>('/api/v1/alert-channels')).items;
