import { Type } from '@sinclair/typebox';
import { DOCUMENT_CATEGORIES } from '../../policy/document.policy.js';
import { REQUIRED_PIECES } from '../../policy/case-workflow.js';
export { PIECE_CATEGORY } from '../../policy/case-workflow.js';
import { Day, Id, Timestamp } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';
import { REVIEW_STATUSES } from './piece-checklist.js';

const DocumentCategorySchema = Type.Union(DOCUMENT_CATEGORIES.map((c) => Type.Literal(c)));
const PieceSchema = Type.Union(REQUIRED_PIECES.map((p) => Type.Literal(p)));

/** An agent's review of a piece, as the usager and the agents see it (null: not a piece). */
export const DocumentReview = Type.Object({
  status: Type.Union(REVIEW_STATUSES.map((s) => Type.Literal(s))),
  /** Why it was rejected (shown to the usager so they can send a better one). */
  reason: Type.Union([Type.String(), Type.Null()]),
  at: Type.Union([Timestamp, Type.Null()]),
});

export const DocumentView = Type.Object({
  id: Id,
  category: DocumentCategorySchema,
  piece: Type.Union([PieceSchema, Type.Null()]),
  originalName: Type.String(),
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  createdAt: Timestamp,
  /** The medical certificate's date (only those who read the certificate see it). */
  issuedOn: Type.Union([Day, Type.Null()]),
  review: Type.Union([DocumentReview, Type.Null()]),
  /** The upload that replaced this one: kept for the record, it no longer counts. */
  supersededBy: Type.Union([Id, Type.Null()]),
  supersededAt: Type.Union([Timestamp, Type.Null()]),
});

export const DocumentList = Type.Object({ items: Type.Array(DocumentView) });

export const UploadQuery = Type.Object(
  {
    category: DocumentCategorySchema,
    piece: Type.Optional(PieceSchema),
    /** The date of the medical certificate: required for that piece, refused for any other. */
    issuedOn: Type.Optional(Day),
    /** The document of the same case and piece this upload replaces. */
    replaces: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const DocumentParams = Type.Object({ documentId: Id }, { additionalProperties: false });

export const ReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]),
    /** Required to reject: the usager is told why. */
    reason: Type.Optional(VisibleText({ minVisible: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
