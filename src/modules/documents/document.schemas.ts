import { Type } from '@sinclair/typebox';
import { DOCUMENT_CATEGORIES } from '../../policy/document.policy.js';
import { REQUIRED_PIECES } from '../../policy/case-workflow.js';
export { PIECE_CATEGORY } from '../../policy/case-workflow.js';
import { Id, Timestamp } from '../common.schemas.js';

const DocumentCategorySchema = Type.Union(DOCUMENT_CATEGORIES.map((c) => Type.Literal(c)));
const PieceSchema = Type.Union(REQUIRED_PIECES.map((p) => Type.Literal(p)));

export const DocumentView = Type.Object({
  id: Id,
  category: DocumentCategorySchema,
  piece: Type.Union([PieceSchema, Type.Null()]),
  originalName: Type.String(),
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  createdAt: Timestamp,
});

export const DocumentList = Type.Object({ items: Type.Array(DocumentView) });

export const UploadQuery = Type.Object(
  { category: DocumentCategorySchema, piece: Type.Optional(PieceSchema) },
  { additionalProperties: false },
);

export const DocumentParams = Type.Object({ documentId: Id }, { additionalProperties: false });
