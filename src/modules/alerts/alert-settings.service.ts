import type { Static } from '@sinclair/typebox';
import type { RequestContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { defaultSettings, loadAlertSettings } from './alert-settings.js';
import { saveRuleSetting, saveWorkingHours } from './alert-settings.repository.js';
import type { AlertSettingsChange, AlertSettingsView } from './alert-settings.schemas.js';
import { TENANT_RULES, ruleById } from './rules/index.js';
import { isKnownTimeZone } from './working-hours.js';

type View = Static<typeof AlertSettingsView>;
type Change = Static<typeof AlertSettingsChange>;

/** Every rule with what it means and how it is set for the tenant, and its working hours. */
export async function readAlertSettings(deps: AppDeps, actor: Actor): Promise<View> {
  const { tenantId } = requireStaff(actor);
  const settings = await loadAlertSettings(deps.db, deps.config, tenantId);
  return {
    rules: TENANT_RULES.map((rule) => {
      const s = settings.rules.get(rule.id)!;
      const d = defaultSettings(rule, deps.config);
      return {
        rule: rule.id,
        meaning: rule.meaning,
        severity: rule.severity,
        enabled: s.enabled,
        threshold: s.threshold,
        windowMinutes: s.windowSeconds / 60,
        mandatory: rule.mandatory === true,
        defaults: { threshold: d.threshold, windowMinutes: d.windowSeconds / 60 },
      };
    }),
    workingHours: { ...settings.hours, days: [...settings.hours.days] },
  };
}

/** Refuses what the schema cannot say: a rule twice, a mandatory rule loosened, bad hours. */
function checkChange(change: Change): void {
  const seen = new Set<string>();
  for (const r of change.rules ?? []) {
    if (seen.has(r.rule)) throw problems.validation(`La règle ${r.rule} figure deux fois.`);
    seen.add(r.rule);
    if (ruleById(r.rule)?.mandatory) {
      const loosened =
        r.enabled === false ||
        (r.threshold !== undefined && r.threshold !== 1) ||
        r.windowMinutes !== undefined;
      if (loosened) {
        throw problems.validation(
          `La règle ${r.rule} ne peut être ni désactivée ni modifiée : elle alerte dès le premier événement.`,
        );
      }
    }
  }
  const hours = change.workingHours;
  if (hours) {
    if (!isKnownTimeZone(hours.timeZone)) {
      throw problems.validation(`Fuseau horaire inconnu : ${hours.timeZone}.`);
    }
    if (hours.start >= hours.end) {
      throw problems.validation('Les heures de travail doivent finir après leur début.');
    }
  }
}

/**
 * Changes the tenant's detection settings: all of it in one transaction, each change recorded
 * as a security event with its new values (rule ids, numbers, hours: nothing personal).
 */
export async function changeAlertSettings(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  change: Change,
): Promise<View> {
  const { tenantId, accountId } = requireStaff(actor);
  checkChange(change);
  const current = await loadAlertSettings(deps.db, deps.config, tenantId);
  const at = deps.clock.now().toISOString();
  const changed: Array<{ rule: string; enabled: boolean; threshold: number; window: number }> = [];
  await deps.db.transaction().execute(async (trx) => {
    for (const r of change.rules ?? []) {
      if (ruleById(r.rule)?.mandatory) continue;
      const was = current.rules.get(r.rule)!;
      const next = {
        enabled: r.enabled ?? was.enabled,
        threshold: r.threshold ?? was.threshold,
        window: r.windowMinutes !== undefined ? r.windowMinutes * 60 : was.windowSeconds,
      };
      await saveRuleSetting(trx, {
        tenant_id: tenantId,
        rule: r.rule,
        enabled: next.enabled ? 1 : 0,
        threshold: next.threshold,
        window_seconds: next.window,
        updated_by: accountId,
        updated_at: at,
      });
      changed.push({ rule: r.rule, ...next });
    }
    if (change.workingHours) {
      const h = change.workingHours;
      await saveWorkingHours(trx, {
        tenant_id: tenantId,
        time_zone: h.timeZone,
        days: JSON.stringify([...h.days].sort((a, b) => a - b)),
        starts_at: h.start,
        ends_at: h.end,
        updated_by: accountId,
        updated_at: at,
      });
    }
  });
  for (const c of changed) {
    await recordSecurityEvent(deps, origin, {
      kind: 'alert-settings.changed',
      actor,
      objectType: 'alert-rule',
      objectId: c.rule,
      detail: { enabled: c.enabled, threshold: c.threshold, windowMinutes: c.window / 60 },
    });
  }
  if (change.workingHours) {
    const h = change.workingHours;
    await recordSecurityEvent(deps, origin, {
      kind: 'alert-settings.changed',
      actor,
      objectType: 'working-hours',
      objectId: tenantId,
      detail: {
        timeZone: h.timeZone,
        days: [...h.days].sort((a, b) => a - b).join(','),
        start: h.start,
        end: h.end,
      },
    });
  }
  return readAlertSettings(deps, actor);
}
