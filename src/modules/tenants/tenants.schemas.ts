import { Type } from '@sinclair/typebox';
import { Id, Timestamp } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';

const Founder = Type.Object(
  {
    /** The person's own professional address, never a shared mailbox. */
    email: Type.String({ format: 'email', maxLength: 254 }),
    /** "Prénom Nom". */
    displayName: VisibleText({ minVisible: 3, maxLength: 100 }),
  },
  { additionalProperties: false },
);

export const NewTenantBody = Type.Object(
  {
    /** The département's code: 01 to 95, 2A, 2B, 971 to 976. */
    code: Type.String({ minLength: 2, maxLength: 3, pattern: '^[0-9][0-9AB][0-9]?$' }),
    name: VisibleText({ minVisible: 3, maxLength: 120 }),
    /** Its first two administrators: one asks for every later grant, the other decides. */
    admins: Type.Array(Founder, { minItems: 2, maxItems: 2 }),
  },
  { additionalProperties: false },
);

export const TenantSummary = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  createdAt: Timestamp,
  activeAdmins: Type.Integer(),
  adminsToActivate: Type.Integer(),
});

/** What the operator learns of a creation: never the activation links, which go by mail. */
export const CreatedTenantView = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  createdAt: Timestamp,
  admins: Type.Array(
    Type.Object({
      accountId: Id,
      email: Type.String(),
      status: Type.Literal('awaiting-activation'),
    }),
  ),
});
