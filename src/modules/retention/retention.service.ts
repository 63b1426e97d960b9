import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { NotFound, Problem } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { MAX_INSTRUCTION_DAYS } from '../../policy/export-instruction.policy.js';
import {
  effectiveSchedule,
  refuseRuleChange,
  retentionDefault,
  type PlatformRetention,
  type RetentionKind,
} from '../../policy/retention-schedule.js';
import type { RequestContext } from '../request-context.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { findTenantByCode, getTenant } from '../tenants/tenant.repository.js';
import { listRetentionRules, saveRetentionRule } from './retention.repository.js';
import type { RetentionRuleBody, RetentionSchedule } from './retention.schemas.js';

type Schedule = Static<typeof RetentionSchedule>;

/** How a person asks for their data to be erased before the end of its rule. */
const ERASURE =
  'Vous pouvez demander à tout moment l’effacement de vos données, ou leur limitation, au délégué à la protection des données de la MDPH (rubrique « Données personnelles »). Une demande en cours d’instruction ou une décision dont le délai de recours court peut justifier de garder certaines données : la réponse vous le dit, avec ses raisons, dans un délai d’un mois.';

/** What the platform's configuration fixes: the audit log's, backups' and exports' durations. */
export function platformRetention(config: AppDeps['config']): PlatformRetention {
  const backups = config.backupSchedule;
  return {
    auditDays: config.auditRetentionDays,
    backupDays: backups ? Math.ceil((backups.keep * backups.intervalSeconds) / 86_400) : null,
    exportDays: MAX_INSTRUCTION_DAYS,
  };
}

async function scheduleOf(
  deps: Pick<AppDeps, 'db' | 'config'>,
  tenant: { id: string; code: string; name: string },
): Promise<Schedule> {
  const overrides = (await listRetentionRules(deps.db, tenant.id)).map((r) => ({
    kind: r.kind as RetentionKind,
    activeDays: r.active_days,
    archiveDays: r.archive_days,
    changedAt: r.changed_at,
  }));
  const rules = effectiveSchedule(overrides, platformRetention(deps.config)).map((r) => ({
    kind: r.kind,
    covers: r.covers,
    startsFrom: r.startsFrom,
    activeDays: r.activeDays,
    archiveDays: r.archiveDays,
    then: 'purge' as const,
    legalBasis: r.legalBasis,
    source: r.source,
    setBy: r.setBy,
    changedAt: r.changedAt,
    kept: r.kept,
    enforced: r.enforced,
    bounds: r.bounds && {
      active: [r.bounds.active[0], r.bounds.active[1]] as [number, number],
      archive: [r.bounds.archive[0], r.bounds.archive[1]] as [number, number],
    },
  }));
  return { tenant: { code: tenant.code, name: tenant.name }, rules, erasure: ERASURE };
}

/** The schedule of a tenant named by its code (the public page, the CLI); null when none. */
export async function scheduleOfCode(
  deps: Pick<AppDeps, 'db' | 'config'>,
  code: string,
): Promise<Schedule | null> {
  const tenant = await findTenantByCode(deps.db, code);
  return tenant ? scheduleOf(deps, tenant) : null;
}

/** The live schedule of a département, for anyone: no account needed to know it. */
export async function publicSchedule(
  deps: Pick<AppDeps, 'db' | 'config'>,
  code: string,
): Promise<Schedule> {
  const schedule = await scheduleOfCode(deps, code);
  if (!schedule) throw new NotFound();
  return schedule;
}

/** The schedule of the actor's own département, with what the DPO may change. */
export async function tenantSchedule(deps: AppDeps, actor: Actor): Promise<Schedule> {
  return scheduleOf(deps, await getTenant(deps.db, requireStaff(actor).tenantId));
}

/**
 * The DPO changes one rule of their département within its bounds; the change, with what it
 * replaced and why, goes to the audit log with the change itself.
 */
export async function changeRetentionRule(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  kind: RetentionKind,
  body: Static<typeof RetentionRuleBody>,
): Promise<Schedule> {
  const staff = requireStaff(actor);
  const refusal = refuseRuleChange(kind, body);
  if (refusal) throw new Problem(400, 'retention-out-of-bounds', 'Durée refusée', refusal);
  const tenant = await getTenant(deps.db, staff.tenantId);
  await deps.db.transaction().execute(async (trx) => {
    // Read in the transaction that replaces it: what the audit says it replaced is exact.
    const before = (await scheduleOf({ ...deps, db: trx }, tenant)).rules.find(
      (r) => r.kind === kind,
    )!;
    await saveRetentionRule(trx, {
      tenant_id: staff.tenantId,
      kind,
      active_days: body.activeDays,
      archive_days: body.archiveDays,
      reason: body.reason,
      changed_by: staff.accountId,
      changed_at: deps.clock.now().toISOString(),
    });
    await recordSecurityEvent({ ...deps, db: trx }, origin, {
      kind: 'retention.changed',
      actor,
      objectType: 'retention-rule',
      objectId: kind,
      detail: {
        fromActiveDays: before.activeDays,
        fromArchiveDays: before.archiveDays,
        activeDays: body.activeDays,
        archiveDays: body.archiveDays,
        defaultActiveDays: retentionDefault(kind).activeDays,
        defaultArchiveDays: retentionDefault(kind).archiveDays,
        reason: body.reason,
      },
    });
  });
  return scheduleOf(deps, tenant);
}
