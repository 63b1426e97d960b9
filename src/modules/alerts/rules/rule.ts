import { createHash } from 'node:crypto';
import type { AuditEntry } from '../../audit/audit-log.js';
import type { WorkingHours } from '../working-hours.js';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** One committed event of a chain, as the rules read it. */
export interface LoggedEvent {
  readonly seq: number;
  readonly at: string;
  readonly entry: AuditEntry;
}

/** A rule's setting for one tenant: the deployment's default unless the tenant changed it. */
export interface RuleSettings {
  readonly enabled: boolean;
  /** How many counted events within the window raise the alert. */
  readonly threshold: number;
  readonly windowSeconds: number;
}

/** What a rule may consult besides the event itself. */
export interface RuleContext {
  readonly hours: WorkingHours;
  /** Ids of every decoy case, decoy person, and document, message or note of a decoy case. */
  readonly decoyObjects: ReadonlySet<string>;
}

/**
 * Who an alert is about. `key` names the entry field that holds the same value in every event
 * of this subject, so a window of them can be fetched in SQL before the rule re-checks each.
 */
export interface Subject {
  readonly label: string;
  readonly key: { readonly field: 'actorId' | 'ip' | 'objectId'; readonly value: string } | null;
}

export interface Rule {
  readonly id: string;
  readonly severity: Severity;
  /** What the alert means, in one line of French, for the DPO (alert title, settings page). */
  readonly meaning: string;
  /** Deployment default; refusal-burst takes its threshold from the configuration. */
  readonly defaults: { readonly threshold: number; readonly windowSeconds: number };
  /** Fires on the first event and cannot be disabled or loosened by a tenant. */
  readonly mandatory?: boolean;
  /** About the platform itself (the operator's): not among a département's settings. */
  readonly platform?: boolean;
  /** `distinct-objects`: the window counts distinct object ids rather than events. */
  readonly counts?: 'events' | 'distinct-objects';
  /** The rule's evaluation: whom the event counts against, or null when it does not count. */
  subjectOf(event: LoggedEvent, context: RuleContext): Subject | null;
  /**
   * At most one alert per subject and period (out-of-hours: the local day). Without it, a new
   * alert may follow as soon as the previous one is resolved.
   */
  periodOf?(at: string, context: RuleContext): string;
}

/**
 * Who did it: the account, the integration token, or, for someone not signed in, a hash of the
 * address (an address is personal data; its hash still groups one source's attempts).
 */
export function actorSubject(entry: AuditEntry): Subject | null {
  if (entry.actorId)
    return { label: entry.actorId, key: { field: 'actorId', value: entry.actorId } };
  if (entry.ip) {
    const hash = createHash('sha256').update(`ip:${entry.ip}`).digest('hex').slice(0, 32);
    return { label: `address:${hash}`, key: { field: 'ip', value: entry.ip } };
  }
  return null;
}

/**
 * Actions that show or change personal data: cases, persons, documents, messages, notes and
 * mandates (which name the persons they bind).
 */
export function touchesPersonalData(action: string): boolean {
  return /^(case|person|document|message|note|mandate)\./.test(action);
}
