import { Type } from '@sinclair/typebox';
import { Id, Timestamp } from '../common.schemas.js';
import { SYSLOG_FACILITIES } from '../../config/syslog-url.js';

const CHANNEL_KINDS = ['webhook', 'email', 'syslog'] as const;

/**
 * One flat object rather than a union: `kind` says which of the other fields belong (checked by
 * the service, with a clear 400), and a body without `kind` is a webhook as it always was.
 */
export const NewChannelBody = Type.Object(
  {
    kind: Type.Optional(Type.Union(CHANNEL_KINDS.map((k) => Type.Literal(k)))),
    /** webhook: https://…; syslog: syslog+udp|tcp|tls://host:port. */
    url: Type.Optional(Type.String({ minLength: 8, maxLength: 2048 })),
    /** email: where the alerts are sent. */
    address: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    /** syslog: the facility of the PRI (default local0). */
    facility: Type.Optional(Type.Union(Object.keys(SYSLOG_FACILITIES).map((f) => Type.Literal(f)))),
  },
  { additionalProperties: false },
);

export const NewChannelAnswer = Type.Object({
  id: Id,
  /** The webhook's HMAC secret, shown this once; absent for the other kinds. */
  secret: Type.Optional(Type.String()),
});

export const ChannelParams = Type.Object({ channelId: Id }, { additionalProperties: false });

export const ChannelList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Id,
      kind: Type.Union(CHANNEL_KINDS.map((k) => Type.Literal(k))),
      /** Where it goes, fit to show: a webhook's origin, the syslog URL, the e-mail address to admins. */
      target: Type.String(),
      facility: Type.Optional(Type.String()),
      createdAt: Timestamp,
    }),
  ),
});

export const TestAnswer = Type.Object({ delivered: Type.Boolean() });
