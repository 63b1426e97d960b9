import { randomUUID } from 'node:crypto';
import {
  insertAgendaItem,
  insertSession,
  moveSessionStatus,
  replaceMembers,
  settleAgenda,
} from '../modules/cdaph-sessions/cdaph-session.repository.js';
import { minutesRef } from '../modules/cdaph-sessions/cdaph-session-view.js';
import { agendaOpensOn } from '../policy/cdaph-session.policy.js';
import { seededValidity, type DemoContext } from './demo-records.js';
import { fileSeededDecisions } from './demo.repository.js';

const DAY_MS = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The CDAPH sessions of a demo tenant: one planned for today with the case awaiting the CDAPH
 * on its agenda and the demo member sitting in it (the responsable can open it, record the
 * decisions and close it), and one closed three weeks ago that decided the notified case.
 */
export async function seedDemoSessions(
  ctx: DemoContext,
  tenantId: string,
  staff: { responsable: string; cdaph: string },
  cases: { awaitingCdaph: string; decided: string },
): Promise<void> {
  const today = day(ctx.now);
  const plan = async (sitsOn: string, formation: string) => {
    const id = randomUUID();
    await insertSession(ctx.db, {
      id,
      tenant_id: tenantId,
      sits_on: sitsOn,
      starts_at: '14:00',
      formation,
      status: 'planned',
      agenda_opens_on: agendaOpensOn(sitsOn, 15),
      minutes_enc: null,
      created_by: staff.responsable,
      created_at: ctx.now.toISOString(),
      opened_at: null,
      closed_at: null,
      closed_by: null,
    });
    await replaceMembers(ctx.db, tenantId, id, [staff.cdaph]);
    return id;
  };
  const agenda = (sessionId: string, caseId: string, at: string) =>
    insertAgendaItem(ctx.db, { tenantId, sessionId, caseId, by: staff.responsable, at });

  const upcoming = await plan(today, 'adultes');
  await agenda(upcoming, cases.awaitingCdaph, ctx.now.toISOString());

  const past = new Date(ctx.now.getTime() - 21 * DAY_MS);
  const pastDay = day(past);
  const closed = await plan(pastDay, 'pleniere');
  const sat = `${pastDay}T14:00:00.000Z`;
  const validity = seededValidity('accord', past);
  await agenda(closed, cases.decided, sat);
  await fileSeededDecisions(
    ctx.db,
    { tenantId, caseId: cases.decided },
    {
      sessionId: closed,
      decidedAt: `${pastDay}T15:00:00.000Z`,
      validFrom: validity.valid_from!,
      validUntil: validity.valid_until!,
    },
  );
  const minutes = await ctx.vault.sealCredential(
    ctx.db,
    tenantId,
    minutesRef(closed),
    Buffer.from('Séance plénière : quorum atteint, un dossier examiné et décidé.', 'utf8'),
  );
  await moveSessionStatus(
    ctx.db,
    { tenantId, id: closed, from: 'planned' },
    { status: 'in_progress', opened_at: sat },
  );
  await moveSessionStatus(
    ctx.db,
    { tenantId, id: closed, from: 'in_progress' },
    {
      status: 'closed',
      closed_at: `${pastDay}T17:00:00.000Z`,
      closed_by: staff.responsable,
      minutes_enc: minutes,
    },
  );
  await settleAgenda(ctx.db, tenantId, closed);
}
