import type { Config } from '../../config.js';
import type { DbOrTx } from '../../db/database.js';
import { findRuleSettings, findWorkingHours } from './alert-settings.repository.js';
import { RULES } from './rules/index.js';
import type { Rule, RuleSettings } from './rules/rule.js';
import { DEFAULT_WORKING_HOURS, isKnownTimeZone, type WorkingHours } from './working-hours.js';

/** The settings the rules run with for one tenant (or the platform chain: defaults only). */
export interface AlertSettings {
  readonly rules: ReadonlyMap<string, RuleSettings>;
  readonly hours: WorkingHours;
}

/** The deployment's default for a rule; refusal-burst keeps CLOISON_ALERT_REFUSALS_PER_MINUTE. */
export function defaultSettings(rule: Rule, config: Pick<Config, 'alertRefusalsPerMinute'>) {
  return {
    enabled: true,
    threshold:
      rule.id === 'refusal-burst' ? config.alertRefusalsPerMinute : rule.defaults.threshold,
    windowSeconds: rule.defaults.windowSeconds,
  };
}

/** A tenant's settings: its own where it set them, the deployment's defaults elsewhere. */
export async function loadAlertSettings(
  db: DbOrTx,
  config: Pick<Config, 'alertRefusalsPerMinute'>,
  tenantId: string | null,
): Promise<AlertSettings> {
  const own = tenantId ? await findRuleSettings(db, tenantId) : [];
  const hoursRow = tenantId ? await findWorkingHours(db, tenantId) : undefined;
  const rules = new Map<string, RuleSettings>();
  for (const rule of RULES) {
    const row = own.find((r) => r.rule === rule.id);
    // A stored row cannot loosen a mandatory rule, whoever wrote it.
    rules.set(
      rule.id,
      row && !rule.mandatory
        ? {
            enabled: row.enabled === 1,
            threshold: row.threshold,
            windowSeconds: row.window_seconds,
          }
        : defaultSettings(rule, config),
    );
  }
  // A zone the runtime does not know (written behind the API's back) would stop every pass.
  const hours: WorkingHours =
    hoursRow && isKnownTimeZone(hoursRow.time_zone)
      ? {
          timeZone: hoursRow.time_zone,
          days: JSON.parse(hoursRow.days) as number[],
          start: hoursRow.starts_at,
          end: hoursRow.ends_at,
        }
      : DEFAULT_WORKING_HOURS;
  return { rules, hours };
}
