import { Type } from '@sinclair/typebox';
import { VisibleText } from '../visible-text.js';

const Email = Type.String({ format: 'email', maxLength: 254 });
/** A password as typed; the policy (length, common passwords) is checked with a clear reason. */
const Password = Type.String({ minLength: 1, maxLength: 1024 });
/** An e-mailed token: 256 bits in base64url. */
const Token = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' });

export const SignUpBody = Type.Object(
  {
    email: Email,
    password: Password,
    displayName: VisibleText({ minVisible: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f<>]+$' }),
    tenant: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9-]+$',
      description: 'The département: its code ("44") or its id',
    }),
  },
  { additionalProperties: false },
);

export const VerifyEmailBody = Type.Object({ token: Token }, { additionalProperties: false });

export const ResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });

export const ResetConfirmBody = Type.Object(
  { token: Token, newPassword: Password },
  { additionalProperties: false },
);

/**
 * The one answer of sign-up and reset requests, whatever the address: whether it has an account
 * is told only to its mailbox.
 */
export const CheckYourEmail = Type.Object({ next: Type.Literal('check-your-email') });
