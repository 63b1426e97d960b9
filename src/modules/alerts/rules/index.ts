import { auditVerificationFailed } from './audit-verification-failed.js';
import { backupFailed } from './backup-failed.js';
import { breakGlass } from './break-glass.js';
import { bulkDownload } from './bulk-download.js';
import { concurrentSessions } from './concurrent-sessions.js';
import { decoyTouched } from './decoy-touched.js';
import { detectionSettingsChanged } from './detection-settings-changed.js';
import { disabledAccountLogin } from './disabled-account-login.js';
import { idProbing } from './id-probing.js';
import { invitationClaimedFromInviterAddress } from './invitation-claimed-from-inviter-address.js';
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
  backupFailed,
  breakGlass,
  detectionSettingsChanged,
  invitationClaimedFromInviterAddress,
] as const satisfies readonly Rule[];

/** The rules a département's DPO and admin see and set (the platform's are the operator's). */
export const TENANT_RULES: readonly Rule[] = RULES.filter((r) => r.platform !== true);

export const TENANT_RULE_IDS = TENANT_RULES.map((r) => r.id);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
