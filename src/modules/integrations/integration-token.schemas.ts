import { Type } from '@sinclair/typebox';
import { INTEGRATION_ACTIONS } from '../../policy/actions.js';
import { Id, Timestamp } from '../common.schemas.js';
import { MAX_RANGES } from './address-ranges.js';
import { VisibleText } from '../visible-text.js';

const IntegrationAction = Type.Union(INTEGRATION_ACTIONS.map((a) => Type.Literal(a)));

const TOKEN_STATUSES = ['pending', 'active', 'expired', 'revoked'] as const;

export const TokenParams = Type.Object({ tokenId: Id }, { additionalProperties: false });

export const CreateTokenBody = Type.Object(
  {
    /** What the token is for, e.g. "SI PCH du département": a label, not a person's name. */
    name: VisibleText({ minVisible: 1, maxLength: 80, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
    permissions: Type.Array(IntegrationAction, {
      minItems: 1,
      maxItems: INTEGRATION_ACTIONS.length,
      uniqueItems: true,
    }),
    /** Mandatory: in the future, at most one year ahead. */
    expiresAt: Timestamp,
    /** CIDR ranges (or single addresses) the token may be used from; absent: any address. */
    allowedRanges: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        minItems: 1,
        maxItems: MAX_RANGES,
      }),
    ),
  },
  { additionalProperties: false },
);

/** A token as the admins see it: never its secret, never its hash. */
export const TokenView = Type.Object({
  id: Id,
  name: Type.String(),
  permissions: Type.Array(Type.String()),
  allowedRanges: Type.Union([Type.Array(Type.String()), Type.Null()]),
  status: Type.Union(TOKEN_STATUSES.map((s) => Type.Literal(s))),
  createdBy: Id,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  approvedBy: Type.Union([Id, Type.Null()]),
  approvedAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  /** A recipient's token, minted by an export's orderer: the one instruction it serves. */
  exportInstructionId: Type.Union([Id, Type.Null()]),
});

/** The answer to a creation: the token itself, shown this once. */
export const CreatedToken = Type.Composite([
  TokenView,
  Type.Object({
    /** `clo_<id>_<secret>`, for `Authorization: Bearer`; not stored, not shown again. */
    token: Type.String(),
  }),
]);

export const TokenList = Type.Object({ items: Type.Array(TokenView) });

/** A recipient's token: bound to the instruction, expiring with it; where it may be used from. */
export const RecipientTokenBody = Type.Object(
  {
    /** CIDR ranges (or single addresses) of the recipient's system; absent: any address. */
    allowedRanges: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        minItems: 1,
        maxItems: MAX_RANGES,
      }),
    ),
  },
  { additionalProperties: false },
);
