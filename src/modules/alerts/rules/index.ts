import { auditVerificationFailed } from './audit-verification-failed.js';
import { breakGlass } from './break-glass.js';
import { bulkDownload } from './bulk-download.js';
import { concurrentSessions } from './concurrent-sessions.js';
import { decoyTouched } from './decoy-touched.js';
import { detectionSettingsChanged } from './detection-settings-changed.js';
import { disabledAccountLogin } from './disabled-account-login.js';
import { idProbing } from './id-probing.js';
import { outOfHours } from './out-of-hours.js';
import { refusalBurst } from './refusal-burst.js';
import type { Rule } from './rule.js';

/** Every detection rule, in the order the settings list them. */
export const RULES = [
  refusalBurst,
  idProbing,
  bulkDownload,
  outOfHours,
  disabledAccountLogin,
  concurrentSessions,
  decoyTouched,
  auditVerificationFailed,
  breakGlass,
  detectionSettingsChanged,
] as const satisfies readonly Rule[];

export const RULE_IDS = RULES.map((r) => r.id);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
