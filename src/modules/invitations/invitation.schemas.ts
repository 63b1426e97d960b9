import { Type } from '@sinclair/typebox';
import { Day, Id, Timestamp } from '../common.schemas.js';

/** A letter (the code is answered, to print) or a mail to `email` (the code goes only there). */
export const InviteBody = Type.Object(
  {
    channel: Type.Union([Type.Literal('letter'), Type.Literal('email')]),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  },
  { additionalProperties: false },
);

export const InvitationView = Type.Object({
  id: Id,
  channel: Type.Union([Type.Literal('letter'), Type.Literal('email')]),
  expiresAt: Timestamp,
  code: Type.Union([
    Type.String({ description: 'To print on the letter; never shown again' }),
    Type.Null({ description: 'A mailed code is shown to its reader only' }),
  ]),
});

export const ClaimBody = Type.Object(
  {
    // Loose on purpose: a code typed with spaces or in lower case is still the code; anything
    // that cannot be one gets the same answer as a wrong one.
    code: Type.String({ minLength: 1, maxLength: 40 }),
    birthDate: Day,
  },
  { additionalProperties: false },
);
