import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import {
  ChannelList,
  ChannelParams,
  NewChannelAnswer,
  NewChannelBody,
  TestAnswer,
} from './alert-channel.schemas.js';
import { addChannel, listChannels, removeChannel, testChannel } from './alert-channel.service.js';
import { contextOf } from '../../http/request-context.js';

export const alertChannelRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/alert-channels',
    summary:
      'Send my département’s alerts to a webhook (HMAC-signed; the secret is shown once), an e-mail address or a syslog receiver (RFC 5424 over UDP, TCP or TLS)',
    tags: ['alerts'],
    policy: { action: 'alertChannel.manage' },
    body: NewChannelBody,
    status: 201,
    response: NewChannelAnswer,
    handler: async ({ deps, request, actor, body }) =>
      addChannel(deps, contextOf(request), actor, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/alert-channels',
    summary: 'Where my département’s alerts go (never a secret)',
    tags: ['alerts'],
    policy: { action: 'alertChannel.list' },
    response: ChannelList,
    handler: async ({ deps, actor }) => listChannels(deps, actor),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/alert-channels/:channelId',
    summary: 'Stop sending alerts to a channel',
    tags: ['alerts'],
    policy: { action: 'alertChannel.manage' },
    params: ChannelParams,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, actor, params }) =>
      removeChannel(deps, contextOf(request), actor, params.channelId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/alert-channels/:channelId/test',
    summary: 'Send a test alert on a channel now and say whether it went out',
    tags: ['alerts'],
    policy: { action: 'alertChannel.manage' },
    params: ChannelParams,
    response: TestAnswer,
    handler: async ({ deps, request, actor, params }) =>
      testChannel(deps, contextOf(request), actor, params.channelId),
  }),
];
