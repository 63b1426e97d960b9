import { Type } from '@sinclair/typebox';
import { Day, Id, Timestamp } from '../common.schemas.js';

export const InviteBody = Type.Object(
  { channel: Type.Literal('letter') },
  { additionalProperties: false },
);

export const InvitationView = Type.Object({
  id: Id,
  channel: Type.Literal('letter'),
  expiresAt: Timestamp,
  code: Type.String({ description: 'To print on the letter; never shown again' }),
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
