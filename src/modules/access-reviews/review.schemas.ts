import { Type } from '@sinclair/typebox';
import { Id, Timestamp } from '../common.schemas.js';

export const OpenReviewBody = Type.Object(
  {
    /** Roles not reviewed by then lapse. */
    deadline: Timestamp,
  },
  { additionalProperties: false },
);

export const ReviewOpened = Type.Object({
  id: Id,
  deadline: Timestamp,
  items: Type.Integer(),
  /** Roles nobody but their holder could review: they lapse at the deadline unless changed. */
  unassigned: Type.Integer(),
});

export const ItemParams = Type.Object({ itemId: Id }, { additionalProperties: false });

export const ItemDecisionBody = Type.Object(
  { decision: Type.Union([Type.Literal('confirm'), Type.Literal('revoke')]) },
  { additionalProperties: false },
);

const ItemStatus = Type.Union(
  ['pending', 'confirmed', 'revoked', 'lapsed', 'superseded'].map((s) => Type.Literal(s)),
);

export const ReviewItem = Type.Object({
  id: Id,
  reviewId: Id,
  deadline: Timestamp,
  accountId: Id,
  displayName: Type.String(),
  role: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
  status: ItemStatus,
});

export const ItemDecided = Type.Object({ id: Id, status: ItemStatus });
