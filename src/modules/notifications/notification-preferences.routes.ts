import { defineRoute } from '../../http/route.js';
import {
  NotificationPreferences,
  NotificationPreferencesBody,
} from './notification-preferences.schemas.js';
import {
  getNotificationPreferences,
  setNotificationPreferences,
} from './notification-preferences.service.js';

export const notificationPreferenceRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/me/notification-preferences',
    summary: 'The mails I receive about my files: mandatory notices, and the optional ones I chose',
    tags: ['notifications'],
    policy: { action: 'me.notificationPreferences' },
    response: NotificationPreferences,
    handler: async ({ deps, actor }) => getNotificationPreferences(deps, actor),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/me/notification-preferences',
    summary: 'Switch my optional notices (agent messages, other changes, renewal reminders)',
    tags: ['notifications'],
    policy: { action: 'me.notificationPreferences' },
    body: NotificationPreferencesBody,
    response: NotificationPreferences,
    handler: async ({ deps, actor, body }) => setNotificationPreferences(deps, actor, body),
  }),
];
