import { expect } from 'vitest';
import type { Client, HttpResult } from '../harness/client.js';
import { queryDb } from '../harness/world.js';

/** A day `days` from today (UTC, as the server counts days), YYYY-MM-DD. */
export function dayIn(days: number, from = Date.now()): string {
  return new Date(from + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A decision body the server accepts: an accord carries a validity (from today, five years), a
 * rejection none; every decision is motivated.
 */
export function decisionBody(decision: string, right = 'AAH') {
  const reason = `Décision ${decision} pour ${right}.`;
  if (decision === 'rejet') return { decision, reason };
  const from = dayIn(0);
  return { decision, reason, validFrom: from, validUntil: `${Number(from.slice(0, 4)) + 5}-01-01` };
}

/** Records a decision on one right, as the secretariat does in the session in progress. */
export function decide(client: Client, caseId: string, right: string, decision: string) {
  return client.put(`/api/v1/cases/${caseId}/rights/${right}/decision`, {
    json: decisionBody(decision, right),
  });
}

function ok(res: HttpResult, status = 200): { id: string } {
  expect(res.status, res.text).toBe(status);
  return res.json as { id: string };
}

/** Plans a session (today unless told) with its members and agenda; answers its id. */
export async function planSession(
  responsable: Client,
  memberIds: string[],
  caseIds: string[],
  sitsOn = dayIn(0),
): Promise<string> {
  const created = await responsable.post('/api/v1/cdaph-sessions', {
    json: { sitsOn, startsAt: '14:00', formation: 'adultes', memberIds },
  });
  const { id } = ok(created, 201);
  for (const caseId of caseIds) {
    ok(await responsable.post(`/api/v1/cdaph-sessions/${id}/agenda`, { json: { caseId } }));
  }
  return id;
}

/** Plans today's session with these cases and opens it: decisions may be taken in it. */
export async function sitSession(
  responsable: Client,
  memberIds: string[],
  caseIds: string[],
): Promise<string> {
  const id = await planSession(responsable, memberIds, caseIds);
  ok(await responsable.post(`/api/v1/cdaph-sessions/${id}/open`));
  return id;
}

/** Closes a session with minutes. */
export function closeSession(responsable: Client, sessionId: string, minutes = 'Quorum atteint.') {
  return responsable.post(`/api/v1/cdaph-sessions/${sessionId}/close`, { json: { minutes } });
}

/**
 * Makes sure a session in progress has the case on its agenda: opens the one that already has
 * it (the demo plans one today), or plans and opens one with this member.
 */
export async function sessionInProgressFor(
  responsable: Client,
  dbFile: string,
  caseId: string,
  memberId: string,
): Promise<void> {
  const [onAgenda] = queryDb<{ session_id: string; status: string }>(
    dbFile,
    `select a.session_id, s.status from cdaph_agenda_items a
       join cdaph_sessions s on s.id = a.session_id where a.case_id = ? and a.pending = 1`,
    caseId,
  );
  if (onAgenda === undefined) await sitSession(responsable, [memberId], [caseId]);
  else if (onAgenda.status === 'planned') {
    ok(await responsable.post(`/api/v1/cdaph-sessions/${onAgenda.session_id}/open`));
  }
}
