import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { Id } from '../common.schemas.js';
import { AlertList } from './alert.schemas.js';
import { decideAlert, listAlerts } from './alert.service.js';
import { contextOf } from '../../http/request-context.js';

const AlertParams = Type.Object({ alertId: Id }, { additionalProperties: false });

export const alertRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/alerts',
    summary: 'The alert inbox of my département',
    tags: ['alerts'],
    policy: { action: 'alert.read' },
    response: AlertList,
    handler: async ({ deps, actor }) => listAlerts(deps, actor),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/alerts/:alertId/acknowledge',
    summary: 'Acknowledge an alert: someone is on it',
    tags: ['alerts'],
    policy: { action: 'alert.manage' },
    params: AlertParams,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, actor, params }) =>
      decideAlert(deps, contextOf(request), actor, params.alertId, 'acknowledged'),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/alerts/:alertId/resolve',
    summary: 'Resolve an alert',
    tags: ['alerts'],
    policy: { action: 'alert.manage' },
    params: AlertParams,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, actor, params }) =>
      decideAlert(deps, contextOf(request), actor, params.alertId, 'resolved'),
  }),
];
