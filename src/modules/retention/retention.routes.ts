import { defineRoute } from '../../http/route.js';
import { contextOf } from '../../http/request-context.js';
import {
  RetentionKindParams,
  RetentionRuleBody,
  RetentionSchedule,
  TenantCodeParams,
} from './retention.schemas.js';
import { changeRetentionRule, publicSchedule, tenantSchedule } from './retention.service.js';

export const retentionRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/public/tenants/:code/retention',
    summary: 'The retention schedule of a département, as it applies now, for anyone',
    tags: ['retention'],
    policy: {
      public: true,
      why: 'how long a département keeps data is owed to everyone, before they sign up',
    },
    params: TenantCodeParams,
    response: RetentionSchedule,
    handler: async ({ deps, params }) => publicSchedule(deps, params.code),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/retention/schedule',
    summary: 'My département’s retention schedule, with what its DPO may change',
    tags: ['retention'],
    policy: { action: 'retention.read' },
    response: RetentionSchedule,
    handler: async ({ deps, actor }) => tenantSchedule(deps, actor),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/retention/rules/:kind',
    summary: 'Change the durations of one kind of data, within its bounds (the DPO)',
    tags: ['retention'],
    policy: { action: 'retention.configure' },
    params: RetentionKindParams,
    body: RetentionRuleBody,
    response: RetentionSchedule,
    handler: async ({ deps, actor, request, params, body }) =>
      changeRetentionRule(deps, actor, contextOf(request), params.kind, body),
  }),
];
