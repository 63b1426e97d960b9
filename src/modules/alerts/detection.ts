import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { PLATFORM_CHAIN, type AuditEntry } from '../audit/audit-log.js';
import { findDecoyObjectIds } from '../decoys/decoy.repository.js';
import { loadAlertSettings, type AlertSettings } from './alert-settings.js';
import {
  extendAlert,
  findLatestAlert,
  findOpenAlert,
  insertAlert,
  readCursor,
  readEventsAfter,
  readWindow,
  saveCursor,
} from './detection.repository.js';
import { RULES } from './rules/index.js';
import { listTenantIds } from '../tenants/tenant.repository.js';
import type { LoggedEvent, Rule, RuleContext, Severity, Subject } from './rules/rule.js';
import type { DbOrTx } from '../../db/database.js';
import { enqueueAlertDeliveries } from './alert-outbox.js';

/** What a pass needs: the log to read, settings, and the outbox its alerts are queued in. */
type DetectionDeps = Pick<
  AppDeps,
  'db' | 'config' | 'keys' | 'vault' | 'clock' | 'outbox' | 'mailer' | 'log'
>;

/** A new alert, as handed to delivery: ids, counts and sequence numbers, never personal data. */
export interface RaisedAlert {
  readonly id: string;
  readonly tenantId: string | null;
  readonly rule: string;
  /** What the rule means for the DPO, one line of French. */
  readonly title: string;
  readonly severity: Severity;
  readonly subject: string;
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
  /** Sequence numbers of the events in the tenant's audit chain (the platform's when null). */
  readonly evidence: number[];
}

/** Events read per chain and pass; a longer backlog is read on the next pass, at once. */
const BATCH = 500;
/** Sequence numbers kept on an alert: the latest ones; `count` says how many there were. */
const EVIDENCE_KEPT = 100;

interface Match {
  readonly rule: Rule;
  readonly subject: Subject;
  readonly event: LoggedEvent;
  readonly count: number;
  readonly evidence: readonly number[];
  readonly firstAt: string;
  /** Counted because an alert is open for the subject: it extends that alert, never opens one. */
  readonly extendsOpen?: boolean;
}

/** An entry that no longer parses was tampered with: verification reports it, the rules skip it. */
function parse(row: { seq: number; at: string; entry: string }): LoggedEvent | null {
  try {
    return { seq: row.seq, at: row.at, entry: JSON.parse(row.entry) as AuditEntry };
  } catch {
    return null;
  }
}

/**
 * One pass of the detector over every chain: the events committed since its cursor go through
 * every enabled rule; matches become new alerts or extend the open one, and the cursor moves, in
 * one transaction per chain, so a restart neither skips an event nor counts one twice. The new
 * alerts' deliveries are queued in the outbox in that transaction. Returns the new alerts and
 * whether a chain has more to read.
 */
export async function detectAlerts(
  deps: DetectionDeps,
): Promise<{ raised: RaisedAlert[]; more: boolean }> {
  const tenantIds = await listTenantIds(deps.db);
  const raised: RaisedAlert[] = [];
  let more = false;
  for (const chain of [PLATFORM_CHAIN, ...tenantIds]) {
    const pass = await detectInChain(deps, chain);
    raised.push(...pass.raised);
    more ||= pass.more;
  }
  return { raised, more };
}

async function detectInChain(deps: DetectionDeps, chain: string) {
  const rows = await readEventsAfter(deps.db, chain, await readCursor(deps.db, chain), BATCH);
  const last = rows.at(-1);
  if (!last) return { raised: [], more: false };
  const tenantId = chain === PLATFORM_CHAIN ? null : chain;
  const settings = await loadAlertSettings(deps.db, deps.config, tenantId);
  const context: RuleContext = {
    hours: settings.hours,
    decoyObjects: await findDecoyObjectIds(deps.db),
  };
  const events = rows.map(parse).filter((e): e is LoggedEvent => e !== null);
  const matches = await evaluate(deps.db, chain, tenantId, events, settings, context);
  const raised = await deps.db.transaction().execute(async (trx) => {
    const out: RaisedAlert[] = [];
    for (const same of groupBySubject(matches)) {
      for (const alert of await recordMatches(trx, tenantId, same, context)) {
        // Its deliveries commit with it: a crash now loses neither.
        if ((await enqueueAlertDeliveries(trx, deps, alert)) === 0)
          deps.log.warn({ alert: alert.id, tenant: tenantId }, 'alert: no channel to deliver to');
        out.push(alert);
      }
    }
    await saveCursor(trx, chain, last.seq, last.at);
    return out;
  });
  return { raised, more: rows.length === BATCH };
}

/**
 * Runs the rules on a batch. A rule with a threshold above one counts the subject's events in
 * the window before each of its events; while an alert is open for the subject, each further
 * event it counts goes into that alert without counting the window again (an actor still at it
 * is the costly case, and the one the DPO most needs counted).
 *
 * Windows are counted by SQL over audit_events (indexes on chain, actor and time), not kept in
 * memory: the log is the only state, so after a restart the counts are exactly what they would have been
 * (a burst straddling the restart is still seen), nothing needs priming, any window up to 24 h
 * costs the same, and events already behind the cursor are counted but never alerted again.
 */
async function evaluate(
  db: DbOrTx,
  chain: string,
  tenantId: string | null,
  events: readonly LoggedEvent[],
  settings: AlertSettings,
  context: RuleContext,
): Promise<Match[]> {
  const groups = new Map<string, { rule: Rule; subject: Subject; events: LoggedEvent[] }>();
  for (const event of events) {
    for (const rule of RULES) {
      if (!settings.rules.get(rule.id)?.enabled) continue;
      const subject = rule.subjectOf(event, context);
      if (!subject) continue;
      const key = `${rule.id}\u0000${subject.label}`;
      const group = groups.get(key) ?? { rule, subject, events: [] };
      group.events.push(event);
      groups.set(key, group);
    }
  }
  const matches: Match[] = [];
  for (const { rule, subject, events: counted } of groups.values()) {
    const { threshold, windowSeconds } = settings.rules.get(rule.id)!;
    if (threshold <= 1 || subject.key === null) {
      for (const event of counted) {
        matches.push({ rule, subject, event, count: 1, evidence: [event.seq], firstAt: event.at });
      }
      continue;
    }
    if (await findOpenAlert(db, tenantId, rule.id, subject.label)) {
      for (const event of counted) {
        matches.push({
          rule,
          subject,
          event,
          count: 1,
          evidence: [event.seq],
          firstAt: event.at,
          extendsOpen: true,
        });
      }
      continue;
    }
    const windowMs = windowSeconds * 1000;
    const earliest = Math.min(...counted.map((e) => Date.parse(e.at)));
    const window = (
      await readWindow(db, chain, subject.key, new Date(earliest - windowMs).toISOString())
    )
      .map(parse)
      .filter(
        (e): e is LoggedEvent => e !== null && rule.subjectOf(e, context)?.label === subject.label,
      )
      .map((e) => ({ ...e, time: Date.parse(e.at) }));
    for (const event of counted) {
      const since = Date.parse(event.at) - windowMs;
      const inWindow = window.filter((e) => e.seq <= event.seq && e.time > since);
      const count =
        rule.counts === 'distinct-objects'
          ? new Set(inWindow.map((e) => e.entry.objectId)).size
          : inWindow.length;
      if (count >= threshold) {
        matches.push({
          rule,
          subject,
          event,
          count,
          evidence: inWindow.map((e) => e.seq),
          firstAt: inWindow[0]?.at ?? event.at,
        });
      }
    }
  }
  return matches.sort((a, b) => a.event.seq - b.event.seq);
}

/** Matches of one rule and subject together, each list in sequence order. */
function groupBySubject(matches: readonly Match[]): Match[][] {
  const groups = new Map<string, Match[]>();
  for (const m of matches) {
    const key = `${m.rule.id}\u0000${m.subject.label}`;
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()];
}

const mergeEvidence = (a: readonly number[], b: readonly number[]) =>
  [...new Set([...a, ...b])].sort((x, y) => x - y).slice(-EVIDENCE_KEPT);

/**
 * One open alert per tenant, rule and subject: a match while it is open (not once acknowledged:
 * what follows is a new incident) counts in it and adds its evidence; otherwise a new alert is raised, unless the rule allows
 * one per period and this period already had its alert. The matches of one pass are folded
 * into one write. Returns the alerts that are new.
 */
async function recordMatches(
  trx: DbOrTx,
  tenantId: string | null,
  matches: readonly Match[],
  context: RuleContext,
): Promise<RaisedAlert[]> {
  const { rule, subject } = matches[0]!;
  const open = await findOpenAlert(trx, tenantId, rule.id, subject.label);
  const latest =
    !open && rule.periodOf ? await findLatestAlert(trx, tenantId, rule.id, subject.label) : null;
  let current: { id: string; count: number; lastAt: string; evidence: number[] } | null = open
    ? {
        id: open.id,
        count: open.count,
        lastAt: open.last_at,
        evidence: JSON.parse(open.evidence) as number[],
      }
    : null;
  let raised: RaisedAlert | null = null;
  for (const match of matches) {
    const at = match.event.at;
    if (current) {
      current.count += 1;
      current.lastAt = at > current.lastAt ? at : current.lastAt;
      current.evidence = mergeEvidence(current.evidence, match.evidence);
      continue;
    }
    // Resolved meanwhile: only a window that reached the threshold opens a new alert.
    if (match.extendsOpen) continue;
    if (latest && rule.periodOf!(latest.first_at, context) === rule.periodOf!(at, context)) {
      continue;
    }
    raised = {
      id: randomUUID(),
      tenantId,
      rule: rule.id,
      title: rule.meaning,
      severity: rule.severity,
      subject: subject.label,
      count: match.count,
      firstAt: match.firstAt,
      lastAt: at,
      evidence: match.evidence.slice(-EVIDENCE_KEPT),
    };
    current = { id: raised.id, count: raised.count, lastAt: at, evidence: raised.evidence };
  }
  if (!current) return [];
  if (raised) {
    const alert: RaisedAlert = {
      ...raised,
      count: current.count,
      lastAt: current.lastAt,
      evidence: current.evidence,
    };
    await insertAlert(trx, {
      id: alert.id,
      tenant_id: tenantId,
      rule: alert.rule,
      severity: alert.severity,
      subject: alert.subject,
      first_at: alert.firstAt,
      last_at: alert.lastAt,
      count: alert.count,
      evidence: JSON.stringify(alert.evidence),
    });
    return [alert];
  }
  await extendAlert(trx, current.id, {
    count: current.count,
    last_at: current.lastAt,
    evidence: JSON.stringify(current.evidence),
  });
  return [];
}
