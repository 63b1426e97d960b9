import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { transitionFor } from '../../policy/case.policy.js';
import { findActiveStaff } from '../staff/staff.repository.js';
import { requireCase } from './case-access.js';
import { unmetGuards } from './case-guards.js';
import type { AssignmentBody, DecisionBody, TransitionBody } from './case.schemas.js';
import { getCase } from './case.service.js';
import { sealedField } from '../../crypto/sealed-fields.js';

/** Moves a case along the workflow, if the table allows this actor's relation to do so. */
export async function transitionCase(
  deps: AppDeps,
  actor: Actor,
  caseId: string,
  body: Static<typeof TransitionBody>,
) {
  const found = await requireCase(deps, actor, 'case.transition', caseId);
  const { row, facts } = found;
  const transition = transitionFor(actor, facts, body.to);
  if (!transition) {
    throw problems.conflict(
      'transition-not-allowed',
      `Le passage de « ${row.status} » à « ${body.to} » n’est pas permis pour votre rôle.`,
    );
  }
  const now = deps.clock.now();
  const today = isoDay(now);
  await deps.db.transaction().execute(async (trx) => {
    const unmet = await unmetGuards(trx, row, transition.guards, {
      today,
      piecesDeadline: body.piecesDeadline,
    });
    if (unmet.length > 0) throw problems.conflict('transition-guard', unmet.join(' ; '));
    const updated = await trx
      .updateTable('cases')
      .set({
        status: transition.to,
        updated_at: now.toISOString(),
        ...(transition.to === 'attente_pieces' ? { pieces_deadline: body.piecesDeadline } : {}),
        ...(transition.from === 'brouillon' && transition.to === 'depose'
          ? { submitted_at: now.toISOString() }
          : {}),
      })
      .where('id', '=', row.id)
      .where('tenant_id', '=', row.tenant_id)
      // Optimistic check: two agents moving the same case at once cannot both win.
      .where('status', '=', row.status)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw problems.conflict(
        'concurrent-update',
        'Le dossier a changé entre-temps ; rechargez-le.',
      );
    }
    const inserted = await trx
      .insertInto('case_transitions')
      .values({
        tenant_id: row.tenant_id,
        case_id: row.id,
        from_status: row.status,
        to_status: transition.to,
        actor_account_id: (actor as { accountId: string }).accountId,
        comment_enc: null,
        at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (body.comment) {
      // Sealed once the row id exists: the comment is bound to this very transition.
      const cipher = await deps.vault.forPerson(trx, row.tenant_id, row.person_id);
      await trx
        .updateTable('case_transitions')
        .set({ comment_enc: cipher.seal(sealedField.transitionComment(inserted.id), body.comment) })
        .where('id', '=', inserted.id)
        .execute();
    }
  });
  return getCase(deps, actor, caseId);
}

/** Assigns a case to an instructeur, an évaluateur médical and/or a team of the same tenant. */
export async function assignCase(
  deps: AppDeps,
  actor: Actor,
  caseId: string,
  body: Static<typeof AssignmentBody>,
) {
  const { row } = await requireCase(deps, actor, 'case.assign', caseId);
  const changes: {
    instructeur_id?: string | null;
    evaluateur_id?: string | null;
    team?: string | null;
  } = {};
  for (const [field, role] of [
    ['instructeurId', 'instructeur'],
    ['evaluateurId', 'evaluateur'],
  ] as const) {
    const id = body[field];
    if (id === undefined) continue;
    if (id !== null) {
      // Tenant-scoped: an account of another département looks exactly like an unknown one.
      const staff = await findActiveStaff(deps.db, row.tenant_id, id, role);
      if (!staff) {
        throw problems.validation(
          `Aucun ${role} actif de ce département ne porte l’identifiant donné.`,
        );
      }
    }
    changes[field === 'instructeurId' ? 'instructeur_id' : 'evaluateur_id'] = id;
  }
  if (body.team !== undefined) changes.team = body.team;
  await deps.db
    .updateTable('cases')
    .set({ ...changes, updated_at: deps.clock.now().toISOString() })
    .where('id', '=', row.id)
    .where('tenant_id', '=', row.tenant_id)
    .execute();
  return getCase(deps, actor, caseId);
}

/** Records the decision on one requested right, while the case awaits the CDAPH. */
export async function decideRight(
  deps: AppDeps,
  actor: Actor,
  caseId: string,
  right: string,
  body: Static<typeof DecisionBody>,
) {
  const { row } = await requireCase(deps, actor, 'case.decide', caseId);
  if (row.status !== 'attente_cdaph') {
    throw problems.conflict(
      'not-awaiting-decision',
      'Le dossier n’est pas en attente de décision CDAPH.',
    );
  }
  const now = deps.clock.now().toISOString();
  const target = await deps.db
    .selectFrom('case_rights')
    .select('id')
    .where('tenant_id', '=', row.tenant_id)
    .where('case_id', '=', row.id)
    .where('right_code', '=', right)
    .executeTakeFirst();
  const cipher = await deps.vault.forPerson(deps.db, row.tenant_id, row.person_id);
  const result = await deps.db
    .updateTable('case_rights')
    .set({
      decision: body.decision,
      decision_reason_enc: target
        ? cipher.seal(sealedField.decisionReason(target.id), body.reason)
        : null,
      decided_by: (actor as { accountId: string }).accountId,
      decided_at: now,
    })
    .where('tenant_id', '=', row.tenant_id)
    .where('case_id', '=', row.id)
    .where('id', '=', target?.id ?? '')
    .executeTakeFirst();
  if (!target || Number(result.numUpdatedRows) !== 1) {
    throw problems.conflict(
      'right-not-requested',
      `Le droit ${right} n’est pas demandé dans ce dossier.`,
    );
  }
  return getCase(deps, actor, caseId);
}
