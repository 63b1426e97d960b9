import { createHash, randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';

/** A security event as the rules see it, just after it was stored. */
export interface StoredEvent {
  readonly id: number;
  readonly at: string;
  readonly tenantId: string | null;
  readonly accountId: string | null;
  readonly tokenId: string | null;
  readonly ip: string | null;
  readonly kind: string;
}

const REFUSAL_KINDS = [
  'access.denied',
  'access.missing',
  'access.forbidden',
  'access.unauthenticated',
  'request.cross-origin',
];

export interface RaisedAlert {
  readonly id: string;
  readonly tenantId: string | null;
  readonly rule: string;
  readonly severity: 'low' | 'medium' | 'high' | 'critical';
  readonly subject: string;
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
  readonly evidence: number[];
}

/** Who the events are about: the account, the token, or (anonymous) a hash of the address. */
function subjectOf(
  event: StoredEvent,
): { column: 'account_id' | 'token_id' | 'ip'; value: string; label: string } | null {
  if (event.accountId)
    return { column: 'account_id', value: event.accountId, label: event.accountId };
  if (event.tokenId) return { column: 'token_id', value: event.tokenId, label: event.tokenId };
  if (event.ip) {
    const hash = createHash('sha256').update(`ip:${event.ip}`).digest('hex').slice(0, 32);
    return { column: 'ip', value: event.ip, label: `address:${hash}` };
  }
  return null;
}

/**
 * Rule "refusal burst" (issue 5 item 4): CLOISON_ALERT_REFUSALS_PER_MINUTE refusals (default 50)
 * by one actor within a minute raise an alert. One open alert per actor: later refusals are
 * counted in it instead of raising another. Returns the alert when it is new (to be sent).
 */
export async function detectRefusalBurst(
  deps: AppDeps,
  event: StoredEvent,
): Promise<RaisedAlert | null> {
  if (!REFUSAL_KINDS.includes(event.kind)) return null;
  const subject = subjectOf(event);
  if (!subject) return null;
  const since = new Date(Date.parse(event.at) - 60_000).toISOString();
  const recent = await deps.db
    .selectFrom('security_events')
    .select('id')
    .where(subject.column, '=', subject.value)
    .where('at', '>', since)
    .where('kind', 'in', REFUSAL_KINDS)
    .orderBy('id')
    .execute();
  if (recent.length < deps.config.alertRefusalsPerMinute) return null;
  const evidence = recent.map((r) => Number(r.id)).slice(-100);
  return deps.db.transaction().execute(async (trx) => {
    let open = trx
      .selectFrom('alerts')
      .selectAll()
      .where('rule', '=', 'refusal-burst')
      .where('subject', '=', subject.label)
      .where('status', '<>', 'resolved');
    open =
      event.tenantId === null
        ? open.where('tenant_id', 'is', null)
        : open.where('tenant_id', '=', event.tenantId);
    const existing = await open.executeTakeFirst();
    if (existing) {
      const kept = [...(JSON.parse(existing.evidence) as number[]), event.id].slice(-100);
      await trx
        .updateTable('alerts')
        .set({ count: existing.count + 1, last_at: event.at, evidence: JSON.stringify(kept) })
        .where('id', '=', existing.id)
        .execute();
      return null;
    }
    const alert: RaisedAlert = {
      id: randomUUID(),
      tenantId: event.tenantId,
      rule: 'refusal-burst',
      severity: 'high',
      subject: subject.label,
      count: recent.length,
      firstAt: event.at,
      lastAt: event.at,
      evidence,
    };
    await trx
      .insertInto('alerts')
      .values({
        id: alert.id,
        tenant_id: alert.tenantId,
        rule: alert.rule,
        severity: alert.severity,
        subject: alert.subject,
        status: 'open',
        first_at: alert.firstAt,
        last_at: alert.lastAt,
        count: alert.count,
        evidence: JSON.stringify(evidence),
        acknowledged_by: null,
        acknowledged_at: null,
        resolved_by: null,
        resolved_at: null,
      })
      .execute();
    return alert;
  });
}
