import { Type, type TLiteral, type TUnion } from '@sinclair/typebox';
import { CASE_STATUSES } from '../../policy/case-workflow.js';
import {
  CDAPH_FORMATIONS,
  CDAPH_SESSION_STATUSES,
  DECISIONS,
  RIGHT_CODES,
} from '../../policy/vocabulary.js';
import { Day, Id, Timestamp } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';

const literalUnion = <T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as TUnion<TLiteral<T[number]>[]>;

const Formation = literalUnion(CDAPH_FORMATIONS);
const SessionStatus = literalUnion(CDAPH_SESSION_STATUSES);

/** The members who sit: active CDAPH staff of the tenant, each once. */
const MemberIds = Type.Array(Id, { minItems: 1, maxItems: 60, uniqueItems: true });

export const SessionParams = Type.Object({ sessionId: Id }, { additionalProperties: false });

export const AgendaItemParams = Type.Object(
  { sessionId: Id, caseId: Id },
  { additionalProperties: false },
);

export const CreateSessionBody = Type.Object(
  {
    sitsOn: Day,
    /** The starting time, in the département's time (HH:MM). */
    startsAt: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', maxLength: 5 }),
    formation: Formation,
    memberIds: MemberIds,
  },
  { additionalProperties: false },
);

export const MembersBody = Type.Object({ memberIds: MemberIds }, { additionalProperties: false });

export const AgendaBody = Type.Object({ caseId: Id }, { additionalProperties: false });

export const CloseSessionBody = Type.Object(
  { minutes: VisibleText({ minVisible: 1, maxLength: 20_000 }) },
  { additionalProperties: false },
);

export const SessionListQuery = Type.Object(
  {
    status: Type.Optional(SessionStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);

export const SessionSummary = Type.Object({
  id: Id,
  sitsOn: Day,
  startsAt: Type.String(),
  formation: Formation,
  status: SessionStatus,
  /** From this day the members read the cases on the agenda, until the session closes. */
  agendaOpensOn: Day,
  openedAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  memberCount: Type.Integer(),
  agendaCount: Type.Integer(),
});

export const SessionList = Type.Object({ items: Type.Array(SessionSummary) });

const AgendaRight = Type.Object({
  code: literalUnion(RIGHT_CODES),
  decision: Type.Union([literalUnion(DECISIONS), Type.Null()]),
  validFrom: Type.Union([Day, Type.Null()]),
  validUntil: Type.Union([Day, Type.Null()]),
  /** Decided in this very session (a right decided elsewhere still awaits this one). */
  decidedInSession: Type.Boolean(),
});

export const SessionDetail = Type.Composite([
  SessionSummary,
  Type.Object({
    members: Type.Array(Type.Object({ accountId: Id, displayName: Type.String() })),
    /** False for a member before the agenda opens: its cases are not theirs to see yet. */
    agendaVisible: Type.Boolean(),
    agenda: Type.Array(
      Type.Object({
        caseId: Id,
        reference: Type.String(),
        status: literalUnion(CASE_STATUSES),
        subject: Type.Object({ firstName: Type.String(), lastName: Type.String() }),
        rights: Type.Array(AgendaRight),
      }),
    ),
    /** The minutes, for the secretariat only (null for a member, and before the closing). */
    minutes: Type.Union([Type.String(), Type.Null()]),
    /** What the signed-in actor may do with this session now, for the UI. */
    abilities: Type.Array(Type.String()),
  }),
]);
