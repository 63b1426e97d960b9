/** The mails a usager receives about their files, and the optional ones they switch (src/modules/notifications). */
import type { Static } from '@sinclair/typebox';
import type {
  NotificationPreferences as NotificationPreferencesSchema,
  NotificationPreferencesBody,
} from '../../../src/modules/notifications/notification-preferences.schemas';
import { api } from './client';

/** Every notice, mandatory or not, and whether it is on for me. */
export type NotificationPreferences = Static<typeof NotificationPreferencesSchema>;

/** The notices I receive. */
export const getNotificationPreferences = () =>
  api.get<NotificationPreferences>('/api/v1/me/notification-preferences');

/** Switches optional notices on or off; the others keep their setting. */
export const setNotificationPreferences = (change: Static<typeof NotificationPreferencesBody>) =>
  api.put<NotificationPreferences>('/api/v1/me/notification-preferences', change);
