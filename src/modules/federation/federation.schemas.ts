import { Type } from '@sinclair/typebox';
import { OIDC_PROVIDERS } from '../../config.js';
import { Timestamp } from '../common.schemas.js';

const ProviderName = Type.Union(OIDC_PROVIDERS.map((p) => Type.Literal(p)));

export const ProviderParams = Type.Object(
  { provider: ProviderName },
  { additionalProperties: false },
);

export const StartQuery = Type.Object(
  {
    /** Code of the département to create a usager account in, for an identity not yet linked. */
    signup: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{1,8}$', maxLength: 8 })),
  },
  { additionalProperties: false },
);

/**
 * What a provider sends back (RFC 6749 §4.1.2, RFC 9207 `iss`). Other parameters some providers
 * add (session_state…) are tolerated: openid-client reads the query as received.
 */
export const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    state: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 })),
    error_uri: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: Type.String({ maxLength: 2048 }) },
);

export const ReauthBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

export const LinkStarted = Type.Object({
  /** The provider's authorization URL: the browser goes there to prove the identity to link. */
  authorizationUrl: Type.String(),
});

export const IdentityList = Type.Object({
  items: Type.Array(
    Type.Object({
      provider: ProviderName,
      linkedAt: Timestamp,
      lastUsedAt: Type.Union([Timestamp, Type.Null()]),
    }),
  ),
});

export const ProviderList = Type.Object({
  items: Type.Array(
    Type.Object({
      name: ProviderName,
      label: Type.String(),
      accountKind: Type.Union([Type.Literal('usager'), Type.Literal('staff')]),
      signup: Type.Boolean(),
    }),
  ),
});
