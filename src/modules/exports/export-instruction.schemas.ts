import { Type } from '@sinclair/typebox';
import { CASE_STATUSES } from '../../policy/case-workflow.js';
import { EXPORT_CATALOGUE, EXPORT_SENSITIVITIES } from '../../policy/export-fields.js';
import { DOCUMENT_CATEGORIES, RIGHT_CODES } from '../../policy/vocabulary.js';
import { Day, Id, Timestamp } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';

const literals = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));

/** A line of the département's own words: no control characters. */
const Line = (maxLength: number) =>
  VisibleText({ minVisible: 3, maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });

export const InstructionParams = Type.Object(
  { instructionId: Id },
  { additionalProperties: false },
);

/** How many cases an explicit list may name; more is a filter's job. */
export const MAX_LISTED_CASES = 10_000;

const Scope = Type.Union([
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object(
    {
      statuses: Type.Optional(Type.Array(literals(CASE_STATUSES), { maxItems: 13 })),
      rights: Type.Optional(Type.Array(literals(RIGHT_CODES), { maxItems: 6 })),
      /** Cases filed (created) on or after this day, on or before the next one. */
      from: Type.Optional(Day),
      to: Type.Optional(Day),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { caseIds: Type.Array(Id, { minItems: 1, maxItems: MAX_LISTED_CASES }) },
    { additionalProperties: false },
  ),
]);

export const CreateInstructionBody = Type.Object(
  {
    kind: literals(['export', 'migration'] as const),
    purpose: Line(500),
    legalBasis: Line(300),
    recipient: Type.Object(
      {
        name: Line(200),
        contact: Line(200),
        /** age1… (X25519) or age1pq1… (hybrid post-quantum): the output is encrypted to it. */
        ageRecipient: Type.String({ minLength: 8, maxLength: 2200, pattern: '^age1[a-z0-9]+$' }),
        /** A medical service: the only recipient health fields and medical pieces may go to. */
        medical: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    /** Why health data is needed, when the instruction asks for some. */
    medicalReason: Type.Optional(Line(500)),
    /**
     * A migration only: its erasure of the source takes persons whose case is still open too
     * (ordered and approved with the rest; off by default).
     */
    eraseOpenCases: Type.Optional(Type.Boolean()),
    scope: Scope,
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      maxItems: EXPORT_CATALOGUE.length,
    }),
    documentCategories: Type.Array(literals(DOCUMENT_CATEGORIES), {
      maxItems: DOCUMENT_CATEGORIES.length,
    }),
    expiresAt: Timestamp,
  },
  { additionalProperties: false },
);

export const AcknowledgementBody = Type.Object(
  {
    /** The SHA-256 of MANIFEST.json as the recipient received it (hex). */
    manifestSha256: Type.String({ pattern: '^[0-9a-f]{64}$', minLength: 64, maxLength: 64 }),
    /** The receipt code written inside the encrypted manifest: only its recipient can read it. */
    receipt: Type.String({ pattern: '^[0-9a-f]{32}$', minLength: 32, maxLength: 32 }),
  },
  { additionalProperties: false },
);

export const RefusalBody = Type.Object({ reason: Line(500) }, { additionalProperties: false });

export const INSTRUCTION_STATUSES = [
  'pending',
  'approved',
  'refused',
  'running',
  'ready',
  'failed',
  'expired',
  'acknowledged',
  'erased',
  'cancelled',
] as const;

/** An instruction as the orderer and the DPO see it. */
export const InstructionView = Type.Object({
  id: Id,
  kind: literals(['export', 'migration'] as const),
  purpose: Type.String(),
  legalBasis: Type.String(),
  recipient: Type.Object({
    name: Type.String(),
    contact: Type.String(),
    ageRecipient: Type.String(),
    medical: Type.Boolean(),
  }),
  medicalReason: Type.Union([Type.String(), Type.Null()]),
  eraseOpenCases: Type.Boolean(),
  scope: Scope,
  fields: Type.Array(Type.String()),
  documentCategories: Type.Array(Type.String()),
  expiresAt: Timestamp,
  status: literals(INSTRUCTION_STATUSES),
  orderedBy: Id,
  orderedAt: Timestamp,
  decidedBy: Type.Union([Id, Type.Null()]),
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  refusalReason: Type.Union([Type.String(), Type.Null()]),
  /** What the scope covers today, for the DPO deciding: cases and distinct persons. */
  counts: Type.Object({ cases: Type.Integer(), persons: Type.Integer() }),
  /** The run, once started: its progress, and the file's hashes once it is ready. */
  run: Type.Union([
    Type.Object({
      startedAt: Type.Union([Timestamp, Type.Null()]),
      finishedAt: Type.Union([Timestamp, Type.Null()]),
      progress: Type.Union([
        Type.Object({
          cases: Type.Integer(),
          persons: Type.Integer(),
          documents: Type.Integer(),
          bytes: Type.Integer(),
        }),
        Type.Null(),
      ]),
      failure: Type.Union([Type.String(), Type.Null()]),
      sha256: Type.Union([Type.String(), Type.Null()]),
      bytes: Type.Union([Type.Integer(), Type.Null()]),
      manifestSha256: Type.Union([Type.String(), Type.Null()]),
      fileDeletedAt: Type.Union([Timestamp, Type.Null()]),
    }),
    Type.Null(),
  ]),
  /** A migration's end: the acknowledgement, the grace period, the erasure or its cancelling. */
  migration: Type.Union([
    Type.Object({
      acknowledgedAt: Timestamp,
      /** Who recorded it: the DPO's account, or the recipient's token that posted it. */
      acknowledgedBy: Type.Union([Id, Type.Null()]),
      acknowledgedByToken: Type.Union([Id, Type.Null()]),
      erasureDueAt: Timestamp,
      cancelledAt: Type.Union([Timestamp, Type.Null()]),
      erasedAt: Type.Union([Timestamp, Type.Null()]),
      erased: Type.Union([Type.Integer(), Type.Null()]),
      kept: Type.Union([Type.Integer(), Type.Null()]),
    }),
    Type.Null(),
  ]),
});

export const InstructionList = Type.Object({ items: Type.Array(InstructionView) });

export const FieldCatalogue = Type.Object({
  items: Type.Array(
    Type.Object({
      name: Type.String(),
      sensitivity: literals(EXPORT_SENSITIVITIES),
      description: Type.String(),
    }),
  ),
});
