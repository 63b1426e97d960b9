import { Type } from '@sinclair/typebox';
import { TENANT_RULE_IDS } from './rules/index.js';

const RuleId = Type.Union(TENANT_RULE_IDS.map((id) => Type.Literal(id)));
const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', maxLength: 5 });

/** Windows from one minute to a day; thresholds from the first event to ten thousand. */
const WindowMinutes = Type.Integer({ minimum: 1, maximum: 1440 });
const Threshold = Type.Integer({ minimum: 1, maximum: 10_000 });

const WorkingHoursSchema = Type.Object(
  {
    timeZone: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$',
    }),
    /** ISO week days, 1 = Monday … 7 = Sunday. */
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
      minItems: 1,
      maxItems: 7,
      uniqueItems: true,
    }),
    start: ClockTime,
    end: ClockTime,
  },
  { additionalProperties: false },
);

export const AlertSettingsView = Type.Object({
  rules: Type.Array(
    Type.Object({
      rule: Type.String(),
      meaning: Type.String(),
      severity: Type.String(),
      enabled: Type.Boolean(),
      threshold: Type.Integer(),
      windowMinutes: Type.Integer(),
      /** Fires on the first event; cannot be disabled or loosened. */
      mandatory: Type.Boolean(),
      defaults: Type.Object({ threshold: Type.Integer(), windowMinutes: Type.Integer() }),
    }),
  ),
  workingHours: WorkingHoursSchema,
});

export const AlertSettingsChange = Type.Object(
  {
    rules: Type.Optional(
      Type.Array(
        Type.Object(
          {
            rule: RuleId,
            enabled: Type.Optional(Type.Boolean()),
            threshold: Type.Optional(Threshold),
            windowMinutes: Type.Optional(WindowMinutes),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: TENANT_RULE_IDS.length },
      ),
    ),
    workingHours: Type.Optional(WorkingHoursSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
