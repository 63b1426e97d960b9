import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { Id, Timestamp } from '../common.schemas.js';
import { addWebhook, decideAlert, listAlerts } from './alert.service.js';

const AlertParams = Type.Object({ alertId: Id }, { additionalProperties: false });

export const alertRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/alert-channels',
    summary: 'Send my département’s alerts to a webhook (HMAC-signed; the secret is shown once)',
    tags: ['alerts'],
    policy: { action: 'alertChannel.manage' },
    body: Type.Object(
      { url: Type.String({ minLength: 8, maxLength: 2048 }) },
      { additionalProperties: false },
    ),
    status: 201,
    response: Type.Object({ id: Id, secret: Type.String() }),
    handler: async ({ deps, request, actor, body }) => addWebhook(deps, request, actor, body.url),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/alerts',
    summary: 'The alert inbox of my département',
    tags: ['alerts'],
    policy: { action: 'alert.read' },
    response: Type.Object({
      items: Type.Array(
        Type.Object({
          id: Id,
          rule: Type.String(),
          severity: Type.String(),
          subject: Type.String(),
          status: Type.String(),
          count: Type.Integer(),
          firstAt: Timestamp,
          lastAt: Timestamp,
          evidence: Type.Array(Type.Integer()),
        }),
      ),
    }),
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
      decideAlert(deps, request, actor, params.alertId, 'acknowledged'),
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
      decideAlert(deps, request, actor, params.alertId, 'resolved'),
  }),
];
