import { Type } from '@sinclair/typebox';
import { Id, Timestamp } from '../common.schemas.js';

/** What a usager is shown of one access by staff to their file (also in their data export). */
export const ConsultationView = Type.Object({
  at: Timestamp,
  role: Type.Union([Type.String(), Type.Null()]),
  service: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  caseReference: Type.String(),
  /** The agent's name, only where the département chose to show it. */
  agentName: Type.Optional(Type.String()),
});

export const ConsultationList = Type.Object({ items: Type.Array(ConsultationView) });

/** Whether usagers see the names of the agents who consulted their file. */
export const ConsultationSetting = Type.Object({ showNames: Type.Boolean() });
export const ConsultationSettingBody = Type.Object(
  { showNames: Type.Boolean() },
  { additionalProperties: false },
);

/** Actions are dotted names (case.read, access.denied, audit.verification-failed). */
const ActionName = Type.String({
  maxLength: 100,
  pattern: '^[a-z][a-zA-Z]*(\\.[a-z][a-zA-Z-]*)+$',
});
/** Object types are lower-case words (case, document, role-grant, alert-channel). */
const ObjectType = Type.String({ maxLength: 40, pattern: '^[a-z][a-zA-Z-]*$' });
/** Object ids are UUIDs, or `chain:seq` for the audit chain's own events. */
const ObjectId = Type.String({
  maxLength: 60,
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(:[0-9]{1,10})?$',
});

export const AuditSearchQuery = Type.Object(
  {
    actor: Type.Optional(Id),
    action: Type.Optional(ActionName),
    objectType: Type.Optional(ObjectType),
    objectId: Type.Optional(ObjectId),
    outcome: Type.Optional(
      Type.Union([Type.Literal('allowed'), Type.Literal('refused'), Type.Literal('failed')]),
    ),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const Nullable = Type.Union([Type.String(), Type.Null()]);

/**
 * One event as the console shows it, as the entry records it: identifiers (account, object,
 * person acted for) and the network address of the request — personal data the DPO reads to
 * investigate, exactly what the SIEM export (GET /api/v1/audit/events) already gives them.
 */
const AuditEventView = Type.Object({
  seq: Type.Integer(),
  at: Timestamp,
  actorKind: Type.String(),
  actor: Nullable,
  role: Nullable,
  action: Type.String(),
  objectType: Nullable,
  objectId: Nullable,
  outcome: Type.String(),
  purpose: Nullable,
  onBehalfOf: Nullable,
  address: Type.Optional(Type.String()),
});

export const AuditSearchResult = Type.Object({
  items: Type.Array(AuditEventView),
  /** Pass as `before` for the next, older page; null when there is none. */
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});

export const VerificationResult = Type.Object({
  ok: Type.Boolean(),
  events: Type.Integer(),
  checkpoints: Type.Integer(),
  checkedAt: Timestamp,
  problem: Type.Optional(Type.Object({ seq: Type.Integer(), reason: Type.String() })),
});
