import { Type } from '@sinclair/typebox';
import { MANDATORY_NOTICES, OPTIONAL_NOTICES } from './notices.js';

const Notice = Type.Union([...MANDATORY_NOTICES, ...OPTIONAL_NOTICES].map((n) => Type.Literal(n)));

/** Every notice, whether it can be switched off, and whether it is on for this account. */
export const NotificationPreferences = Type.Object({
  items: Type.Array(
    Type.Object({ notice: Notice, mandatory: Type.Boolean(), enabled: Type.Boolean() }),
  ),
});

/** The optional notices to switch on or off; those left out keep their setting. */
export const NotificationPreferencesBody = Type.Object(
  {
    'agent-message': Type.Optional(Type.Boolean()),
    'case-changed': Type.Optional(Type.Boolean()),
    'renewal-reminder': Type.Optional(Type.Boolean()),
  } satisfies Record<(typeof OPTIONAL_NOTICES)[number], unknown>,
  { additionalProperties: false, minProperties: 1 },
);
