import { Type } from '@sinclair/typebox';
import { RETENTION_KINDS } from '../../policy/retention-schedule.js';
import { Timestamp } from '../common.schemas.js';
import { CODE as TENANT_CODE } from '../tenants/tenant-identity.js';
import { VisibleText } from '../visible-text.js';

const literals = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));

export const RetentionKindParams = Type.Object(
  { kind: literals(RETENTION_KINDS) },
  { additionalProperties: false },
);

export const TenantCodeParams = Type.Object(
  { code: Type.String({ pattern: TENANT_CODE.source, maxLength: 3 }) },
  { additionalProperties: false },
);

/** The DPO's change of one rule: both durations, in days, and why. */
export const RetentionRuleBody = Type.Object(
  {
    activeDays: Type.Integer({ minimum: 1, maximum: 36_500 }),
    archiveDays: Type.Integer({ minimum: 0, maximum: 36_500 }),
    reason: VisibleText({ minVisible: 5, maxLength: 500, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
  },
  { additionalProperties: false },
);

const Bounds = Type.Object({
  active: Type.Tuple([Type.Integer(), Type.Integer()]),
  archive: Type.Tuple([Type.Integer(), Type.Integer()]),
});

export const RetentionRuleView = Type.Object({
  kind: literals(RETENTION_KINDS),
  covers: Type.String(),
  startsFrom: Type.String(),
  activeDays: Type.Integer(),
  archiveDays: Type.Integer(),
  then: Type.Literal('purge'),
  legalBasis: Type.String(),
  source: Type.String(),
  setBy: literals(['default', 'platform', 'dpo'] as const),
  changedAt: Type.Union([Timestamp, Type.Null()]),
  kept: Type.Boolean(),
  /** False: published, erased on request; the retention job does not apply it yet. */
  enforced: Type.Boolean(),
  bounds: Type.Union([Bounds, Type.Null()]),
});

export const RetentionSchedule = Type.Object({
  tenant: Type.Object({ code: Type.String(), name: Type.String() }),
  rules: Type.Array(RetentionRuleView),
  erasure: Type.String(),
});
