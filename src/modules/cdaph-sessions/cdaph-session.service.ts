import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { problems } from '../../errors.js';
import type { DbOrTx } from '../../db/database.js';
import type { Actor } from '../../policy/actor.js';
import {
  agendaOpensOn,
  cdaphSessionScope,
  mayOpenSession,
} from '../../policy/cdaph-session.policy.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { findActiveStaff } from '../staff/staff.repository.js';
import { requireSession } from './cdaph-session-access.js';
import { minutesRef, summaryOf, toSessionDetail } from './cdaph-session-view.js';
import {
  countAgenda,
  insertSession,
  listAgendaCasesUndecided,
  listMembers,
  listSessionsInScope,
  moveSessionStatus,
  replaceMembers,
  settleAgenda,
} from './cdaph-session.repository.js';
import type {
  CloseSessionBody,
  CreateSessionBody,
  MembersBody,
  SessionListQuery,
} from './cdaph-session.schemas.js';

/** How far ahead a session may be planned: a date further out is a typing error. */
const MAX_DAYS_AHEAD = 730;

const accountIdOf = (actor: Actor) => (actor as { accountId: string }).accountId;

/** Sessions the actor may see: the tenant's for the secretariat, those one sits in for a member. */
export async function listSessions(
  deps: AppDeps,
  actor: Actor,
  query: Static<typeof SessionListQuery>,
) {
  const rows = await listSessionsInScope(deps.db, cdaphSessionScope(actor), {
    status: query.status,
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  });
  const tenantId = rows[0]?.tenant_id;
  if (tenantId === undefined) return { items: [] };
  const ids = rows.map((r) => r.id);
  const members = await listMembers(deps.db, tenantId, ids);
  const agenda = await countAgenda(deps.db, tenantId, ids);
  return {
    items: rows.map((row) =>
      summaryOf(
        row,
        members.filter((m) => m.session_id === row.id).length,
        agenda.get(row.id) ?? 0,
      ),
    ),
  };
}

/** One session, if the actor may read it. */
export async function getSession(deps: AppDeps, actor: Actor, sessionId: string) {
  return toSessionDetail(
    deps,
    actor,
    await requireSession(deps, actor, 'cdaphSession.read', sessionId),
  );
}

/**
 * Each member must be an active CDAPH member of the tenant; any other id (another role, another
 * département, disabled, unknown) is refused alike, so the answer tells nothing about it.
 */
async function checkMembers(db: DbOrTx, tenantId: string, memberIds: readonly string[]) {
  for (const id of memberIds) {
    if (!(await findActiveStaff(db, tenantId, id, 'cdaph'))) {
      throw problems.validation(
        'Aucun membre CDAPH actif de ce département ne porte l’un des identifiants donnés.',
      );
    }
  }
}

/** Plans a session of the actor's tenant: its day and time, formation and members. */
export async function createSession(
  deps: AppDeps,
  actor: Actor,
  body: Static<typeof CreateSessionBody>,
) {
  if (actor.kind !== 'staff') throw problems.forbidden();
  const now = deps.clock.now();
  const today = isoDay(now);
  const latest = isoDay(new Date(now.getTime() + MAX_DAYS_AHEAD * 86_400_000));
  if (body.sitsOn < today || body.sitsOn > latest) {
    throw problems.validation('La séance se tient aujourd’hui ou dans les deux ans à venir.');
  }
  const id = randomUUID();
  noteAuditedObject('cdaph-session', id);
  await deps.db.transaction().execute(async (trx) => {
    await checkMembers(trx, actor.tenantId, body.memberIds);
    await insertSession(trx, {
      id,
      tenant_id: actor.tenantId,
      sits_on: body.sitsOn,
      starts_at: body.startsAt,
      formation: body.formation,
      status: 'planned',
      agenda_opens_on: agendaOpensOn(body.sitsOn, deps.config.cdaphAgendaDays),
      minutes_enc: null,
      created_by: actor.accountId,
      created_at: now.toISOString(),
      opened_at: null,
      closed_at: null,
      closed_by: null,
    });
    await replaceMembers(trx, actor.tenantId, id, body.memberIds);
  });
  return getSession(deps, actor, id);
}

function refuseClosed(status: string): void {
  if (status === 'closed') throw problems.conflict('session-closed', 'La séance est close.');
}

/** Replaces who sits in a session that is not closed. */
export async function setMembers(
  deps: AppDeps,
  actor: Actor,
  sessionId: string,
  body: Static<typeof MembersBody>,
) {
  const { row } = await requireSession(deps, actor, 'cdaphSession.manage', sessionId);
  refuseClosed(row.status);
  await deps.db.transaction().execute(async (trx) => {
    await checkMembers(trx, row.tenant_id, body.memberIds);
    await replaceMembers(trx, row.tenant_id, row.id, body.memberIds);
  });
  return getSession(deps, actor, sessionId);
}

/** Opens a planned session, on its own day only. */
export async function openSession(deps: AppDeps, actor: Actor, sessionId: string) {
  const { row, facts } = await requireSession(deps, actor, 'cdaphSession.manage', sessionId);
  const now = deps.clock.now();
  if (!mayOpenSession(facts, isoDay(now))) {
    throw problems.conflict(
      'session-not-openable',
      'Une séance s’ouvre le jour où elle se tient, et une seule fois.',
    );
  }
  const moved = await moveSessionStatus(
    deps.db,
    { tenantId: row.tenant_id, id: row.id, from: 'planned' },
    { status: 'in_progress', opened_at: now.toISOString() },
  );
  if (!moved) throw problems.conflict('concurrent-update', 'La séance a changé entre-temps.');
  return getSession(deps, actor, sessionId);
}

/**
 * Closes a session in progress with its minutes. Every case left on the agenda must have all its
 * rights decided in this session; a case not examined is taken off the agenda first (postponed).
 * The minutes are the sitting's (attendance, quorum, how it went), not any one person's: they
 * are sealed under the tenant's secret. What concerns a person goes in the motive of each
 * decision, sealed under that person's key and erased with it.
 */
export async function closeSession(
  deps: AppDeps,
  actor: Actor,
  sessionId: string,
  body: Static<typeof CloseSessionBody>,
) {
  const { row } = await requireSession(deps, actor, 'cdaphSession.manage', sessionId);
  if (row.status !== 'in_progress') {
    throw problems.conflict('session-not-in-progress', 'Seule une séance ouverte se clôt.');
  }
  const now = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const undecided = await listAgendaCasesUndecided(trx, row.tenant_id, row.id);
    if (undecided.length > 0) {
      throw problems.conflict(
        'agenda-undecided',
        `${undecided.length} dossier(s) de l’ordre du jour attendent encore une décision sur un droit : décidez-les ou retirez-les de l’ordre du jour.`,
      );
    }
    const minutes = await deps.vault.sealCredential(
      trx,
      row.tenant_id,
      minutesRef(row.id),
      Buffer.from(body.minutes, 'utf8'),
    );
    const moved = await moveSessionStatus(
      trx,
      { tenantId: row.tenant_id, id: row.id, from: 'in_progress' },
      { status: 'closed', closed_at: now, closed_by: accountIdOf(actor), minutes_enc: minutes },
    );
    if (!moved) throw problems.conflict('concurrent-update', 'La séance a changé entre-temps.');
    await settleAgenda(trx, row.tenant_id, row.id);
  });
  return getSession(deps, actor, sessionId);
}
