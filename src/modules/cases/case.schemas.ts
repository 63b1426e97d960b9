import { Type, type TLiteral, type TUnion } from '@sinclair/typebox';
import { CASE_STATUSES, REQUIRED_PIECES } from '../../policy/case-workflow.js';
import { Day, Id, Timestamp } from '../common.schemas.js';
import { DECISIONS, RIGHT_CODES } from '../../policy/vocabulary.js';
import { TeamSchema } from '../staff/staff.schemas.js';
import { VisibleText } from '../visible-text.js';
import { REVIEW_STATUSES } from '../documents/piece-checklist.js';

/** One of the listed strings; the type keeps them (map() alone would widen them to string). */
const literalUnion = <T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as TUnion<TLiteral<T[number]>[]>;

const CaseStatusSchema = literalUnion(CASE_STATUSES);
const RightCode = literalUnion(RIGHT_CODES);
const Decision = literalUnion(DECISIONS);

/** One line of the completeness checklist (documents/piece-checklist.ts): no id, no name. */
export const PieceCheckSchema = Type.Object({
  supplied: Type.Boolean(),
  review: Type.Union([literalUnion(REVIEW_STATUSES), Type.Null()]),
  dateValid: Type.Union([Type.Boolean(), Type.Null()]),
  complete: Type.Boolean(),
});

export const CaseSummary = Type.Object({
  id: Id,
  reference: Type.String(),
  status: CaseStatusSchema,
  subject: Type.Object({ firstName: Type.String(), lastName: Type.String() }),
  instructeurId: Type.Union([Id, Type.Null()]),
  evaluateurId: Type.Union([Id, Type.Null()]),
  team: Type.Union([Type.String(), Type.Null()]),
  piecesDeadline: Type.Union([Day, Type.Null()]),
  /** Deadlines the server keeps, computed on the server's today (policy/case-deadlines.ts). */
  deadlines: Type.Object({
    piecesOverdue: Type.Boolean(),
    instructionDeadline: Type.Union([Day, Type.Null()]),
    instructionOverdue: Type.Boolean(),
    appealDeadline: Type.Union([Day, Type.Null()]),
    appealOpen: Type.Boolean(),
  }),
  submittedAt: Type.Union([Timestamp, Type.Null()]),
  updatedAt: Timestamp,
});

export const CaseDetail = Type.Composite([
  CaseSummary,
  Type.Object({
    personId: Id,
    /** The decided case this request renews, when it is a renewal. */
    renewsCaseId: Type.Union([Id, Type.Null()]),
    summary: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    rights: Type.Array(
      Type.Object({
        code: RightCode,
        decision: Type.Union([Decision, Type.Null()]),
        decisionReason: Type.Union([Type.String(), Type.Null()]),
        decidedAt: Type.Union([Timestamp, Type.Null()]),
        /** Validity of an accord, null for a rejection or an undecided right. */
        validFrom: Type.Union([Day, Type.Null()]),
        validUntil: Type.Union([Day, Type.Null()]),
        /** The CDAPH session it was decided in, and the day it sat. */
        sessionId: Type.Union([Id, Type.Null()]),
        sessionSitsOn: Type.Union([Day, Type.Null()]),
      }),
    ),
    /** The checklist of the four pieces: supplied, review status, certificate date valid. */
    completeness: Type.Object(
      Object.fromEntries(REQUIRED_PIECES.map((p) => [p, PieceCheckSchema])) as Record<
        (typeof REQUIRED_PIECES)[number],
        typeof PieceCheckSchema
      >,
    ),
    /** What the signed-in actor may do with this case, for the UI. */
    abilities: Type.Array(Type.String()),
    nextStatuses: Type.Array(CaseStatusSchema),
  }),
]);

/** A line of a list: the summary and the codes of the rights the case asks for. */
export const CaseListItem = Type.Composite([
  CaseSummary,
  Type.Object({ rightCodes: Type.Array(RightCode) }),
]);

export const CaseList = Type.Object({ items: Type.Array(CaseListItem) });

export const CaseListQuery = Type.Object(
  {
    status: Type.Optional(CaseStatusSchema),
    /** 'me': assigned to me (as instructeur or évaluateur); 'none': no one assigned by name. */
    assignee: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('none')])),
    /** A team name as staff accounts carry them (equipe-nord); closed to anything else. */
    team: Type.Optional(TeamSchema),
    /** Only cases awaiting pieces whose deadline has passed (false: no filter). */
    overdue: Type.Optional(Type.Boolean()),
    /** 'updated': last change first (default); 'deadline': nearest pieces deadline first. */
    sort: Type.Optional(Type.Union([Type.Literal('updated'), Type.Literal('deadline')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);

/** The rights one dossier asks for: at least one, each once. */
const RequestedRights = Type.Array(RightCode, {
  minItems: 1,
  maxItems: RIGHT_CODES.length,
  uniqueItems: true,
});

export const CreateCaseBody = Type.Object(
  {
    personId: Id,
    rights: RequestedRights,
  },
  { additionalProperties: false },
);

export const TransitionBody = Type.Object(
  {
    to: CaseStatusSchema,
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
    piecesDeadline: Type.Optional(Day),
  },
  { additionalProperties: false },
);

export const AssignmentBody = Type.Object(
  {
    instructeurId: Type.Optional(Type.Union([Id, Type.Null()])),
    evaluateurId: Type.Optional(Type.Union([Id, Type.Null()])),
    team: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 80 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DecisionParams = Type.Object(
  { caseId: Id, right: RightCode },
  { additionalProperties: false },
);

/**
 * A decision taken in the session in progress: an accord (total or partial) carries its validity,
 * a rejection none; the motive is required for a rejection and a partial accord
 * (decision-validity.ts says the rest).
 */
export const DecisionBody = Type.Object(
  {
    decision: Decision,
    reason: Type.Optional(VisibleText({ minVisible: 1, maxLength: 5000 })),
    validFrom: Type.Optional(Day),
    validUntil: Type.Optional(Day),
  },
  { additionalProperties: false },
);

/** A draft as its author saves it at each step of the request. */
export const DraftBody = Type.Object(
  {
    rights: RequestedRights,
    situation: Type.String({ maxLength: 10_000 }),
  },
  { additionalProperties: false },
);
