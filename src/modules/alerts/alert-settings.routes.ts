import { defineRoute } from '../../http/route.js';
import { AlertSettingsChange, AlertSettingsView } from './alert-settings.schemas.js';
import { changeAlertSettings, readAlertSettings } from './alert-settings.service.js';
import { contextOf } from '../../http/request-context.js';

export const alertSettingsRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/alert-settings',
    summary: 'The detection rules of my département: what each means, its threshold and window',
    tags: ['alerts'],
    policy: { action: 'alert.read' },
    response: AlertSettingsView,
    handler: async ({ deps, actor }) => readAlertSettings(deps, actor),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/alert-settings',
    summary: 'Change thresholds, windows or working hours of my département’s detection rules',
    tags: ['alerts'],
    policy: { action: 'alertSettings.manage' },
    body: AlertSettingsChange,
    response: AlertSettingsView,
    handler: async ({ deps, request, actor, body }) =>
      changeAlertSettings(deps, contextOf(request), actor, body),
  }),
];
