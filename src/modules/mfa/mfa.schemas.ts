import { Type } from '@sinclair/typebox';
import { Timestamp } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';

const B64Url = (maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9_-]*$', maxLength });

export const CodeBody = Type.Object(
  { code: Type.String({ minLength: 6, maxLength: 6, pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);

export const RecoveryCodeBody = Type.Object(
  { code: Type.String({ minLength: 16, maxLength: 24, pattern: '^[0-9A-Za-z -]+$' }) },
  { additionalProperties: false },
);

export const PasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

/**
 * A PublicKeyCredential as browsers serialise it (toJSON). The inner objects may carry more
 * fields than the verifier reads (browsers add some); their sizes are bounded all the same.
 */
const CredentialFields = {
  id: B64Url(1366),
  rawId: B64Url(1366),
  type: Type.Literal('public-key'),
  clientExtensionResults: Type.Object({}, { additionalProperties: true, maxProperties: 16 }),
  authenticatorAttachment: Type.Optional(
    Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]),
  ),
};

export const AssertionBody = Type.Object(
  {
    credential: Type.Object(
      {
        ...CredentialFields,
        response: Type.Object(
          {
            clientDataJSON: B64Url(8192),
            authenticatorData: B64Url(8192),
            signature: B64Url(1024),
            userHandle: Type.Optional(B64Url(512)),
          },
          { additionalProperties: true, maxProperties: 16 },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const NewPasskeyBody = Type.Object(
  {
    name: VisibleText({ minVisible: 1, maxLength: 60, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
    credential: Type.Object(
      {
        ...CredentialFields,
        response: Type.Object(
          {
            clientDataJSON: B64Url(8192),
            attestationObject: B64Url(32768),
            transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 8 })),
          },
          { additionalProperties: true, maxProperties: 16 },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const PasskeyRemovalBody = Type.Object(
  { passkeyId: B64Url(1366), currentPassword: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

/** WebAuthn options for navigator.credentials.create/get, as the browser API expects them. */
export const WebAuthnOptions = Type.Object({ publicKey: Type.Unknown() });

export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });

export const Factors = Type.Object({
  required: Type.Boolean(),
  totp: Type.Union([Type.Literal('none'), Type.Literal('pending'), Type.Literal('active')]),
  passkeys: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      createdAt: Timestamp,
      lastUsedAt: Type.Union([Timestamp, Type.Null()]),
    }),
  ),
  recoveryCodesLeft: Type.Integer(),
});

export const TotpEnrollment = Type.Object({ uri: Type.String(), secret: Type.String() });
