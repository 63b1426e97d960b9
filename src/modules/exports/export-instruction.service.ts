import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import type { ExportInstructionRow } from '../../db/schema.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { EXPORT_CATALOGUE } from '../../policy/export-fields.js';
import {
  instructionProblem,
  seesEveryExportInstruction,
  type InstructionContent,
} from '../../policy/export-instruction.policy.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { recordSecurityEvent } from '../events/security-events.js';
import type { RequestContext } from '../request-context.js';
import { isAgeRecipient } from './age-recipient.js';
import {
  casesOfTenantAmong,
  countScope,
  decideInstruction,
  findInstructionOfTenant,
  insertInstruction,
  listInstructionsOfTenant,
  type ScopeFilter,
} from './export-instruction.repository.js';
import type {
  CreateInstructionBody,
  FieldCatalogue,
  InstructionList,
  InstructionView,
} from './export-instruction.schemas.js';

type View = Static<typeof InstructionView>;
type Body = Static<typeof CreateInstructionBody>;

function erasureCounts(summary: string | null): { erased: number | null; kept: number | null } {
  if (summary === null) return { erased: null, kept: null };
  const parsed = JSON.parse(summary) as { erased: unknown[]; kept: unknown[] };
  return { erased: parsed.erased.length, kept: parsed.kept.length };
}
type Progress = NonNullable<NonNullable<View['run']>['progress']>;

/** The staff member acting, in their tenant; the route's role gate already said which roles. */
function staffOf(actor: Actor): { accountId: string; tenantId: string } {
  if (actor.kind !== 'staff') throw problems.forbidden();
  return { accountId: actor.accountId, tenantId: actor.tenantId };
}

/** Every field Cloison can export, with its sensitivity, for the orderer's field picker. */
export function fieldCatalogue(): Static<typeof FieldCatalogue> {
  return { items: EXPORT_CATALOGUE.map((f) => ({ ...f })) };
}

async function countsOf(
  deps: AppDeps,
  row: ExportInstructionRow,
  scope: ScopeFilter,
): Promise<{ cases: number; persons: number }> {
  if (row.progress !== null && row.status !== 'pending' && row.status !== 'approved') {
    const progress = JSON.parse(row.progress) as Progress;
    return { cases: progress.cases, persons: progress.persons };
  }
  return countScope(deps.db, row.tenant_id, scope);
}

async function toView(deps: AppDeps, row: ExportInstructionRow, now: Date): Promise<View> {
  const scope = JSON.parse(row.scope) as View['scope'];
  // Past its expiry nothing more happens to it, whatever the job has written down yet.
  const pending = ['pending', 'approved', 'running', 'ready'].includes(row.status);
  return {
    id: row.id,
    kind: row.kind,
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    recipient: {
      name: row.recipient_name,
      contact: row.recipient_contact,
      ageRecipient: row.age_recipient,
      medical: row.recipient_medical === 1,
    },
    medicalReason: row.medical_reason,
    eraseOpenCases: row.erase_open_cases === 1,
    scope,
    fields: JSON.parse(row.fields) as string[],
    documentCategories: JSON.parse(row.document_categories) as string[],
    expiresAt: row.expires_at,
    // Not yet run by its expiry: it will never run.
    status: (pending && row.expires_at <= now.toISOString()
      ? 'expired'
      : row.status) as View['status'],
    orderedBy: row.ordered_by,
    orderedAt: row.ordered_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    refusalReason: row.refusal_reason,
    // What the scope covers today while it waits to run (what the DPO decides on); then what
    // the run wrote: counting a large département on every poll would slow the run itself.
    counts: await countsOf(deps, row, scope as ScopeFilter),
    run:
      row.run_started_at === null
        ? null
        : {
            startedAt: row.run_started_at,
            finishedAt: row.run_finished_at,
            progress: row.progress === null ? null : (JSON.parse(row.progress) as Progress),
            failure: row.failure,
            sha256: row.output_sha256,
            bytes: row.output_bytes,
            manifestSha256: row.manifest_sha256,
            fileDeletedAt: row.file_deleted_at,
          },
    migration:
      row.acknowledged_at === null || row.erasure_due_at === null
        ? null
        : {
            acknowledgedAt: row.acknowledged_at,
            acknowledgedBy: row.acknowledged_by,
            acknowledgedByToken: row.acknowledged_by_token,
            erasureDueAt: row.erasure_due_at,
            cancelledAt: row.cancelled_at,
            erasedAt: row.erased_at,
            ...erasureCounts(row.erasure_summary),
          },
  };
}

/**
 * Records an instruction to export or migrate, as ordered; nothing runs before the DPO has
 * approved it. An instruction that breaks a rule is refused, recorded, and nothing is stored.
 */
export async function orderInstruction(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  body: Body,
): Promise<View> {
  const staff = staffOf(actor);
  const now = deps.clock.now();
  const refuse = async (reason: string, detail: string) => {
    await recordSecurityEvent(deps, origin, {
      kind: 'export.order-refused',
      actor,
      objectType: 'export-instruction',
      detail: { reason },
    });
    return problems.validation(detail);
  };
  if (!isAgeRecipient(body.recipient.ageRecipient)) {
    throw await refuse(
      'recipient-key',
      'La clé du destinataire n’est pas une clé publique age valide (age1…, ou age1pq1…).',
    );
  }
  const content: InstructionContent = {
    kind: body.kind,
    medicalRecipient: body.recipient.medical === true,
    medicalReason: body.medicalReason ?? null,
    fields: body.fields,
    documentCategories: body.documentCategories,
    scope: body.scope,
    expiresAt: new Date(body.expiresAt),
    eraseOpenCases: body.eraseOpenCases === true,
  };
  const problem = instructionProblem(content, now);
  if (problem !== null) throw await refuse('rule', problem);
  if ('caseIds' in body.scope) {
    // A case of another département answers as a missing one: the list says nothing of it.
    const found = await casesOfTenantAmong(deps.db, staff.tenantId, body.scope.caseIds);
    const absent = body.scope.caseIds.find((id) => !found.has(id));
    if (absent !== undefined) {
      throw await refuse('scope', `Le dossier ${absent} n’existe pas dans votre département.`);
    }
  }
  const id = randomUUID();
  await insertInstruction(deps.db, {
    id,
    tenant_id: staff.tenantId,
    kind: body.kind,
    purpose: body.purpose,
    legal_basis: body.legalBasis,
    recipient_name: body.recipient.name,
    recipient_contact: body.recipient.contact,
    recipient_medical: body.recipient.medical === true ? 1 : 0,
    medical_reason: body.medicalReason ?? null,
    erase_open_cases: body.eraseOpenCases === true ? 1 : 0,
    age_recipient: body.recipient.ageRecipient,
    scope: JSON.stringify(body.scope),
    fields: JSON.stringify(body.fields),
    document_categories: JSON.stringify(body.documentCategories),
    expires_at: content.expiresAt.toISOString(),
    status: 'pending',
    ordered_by: staff.accountId,
    ordered_at: now.toISOString(),
  });
  await recordSecurityEvent(deps, origin, {
    kind: 'export.ordered',
    actor,
    objectType: 'export-instruction',
    objectId: id,
    detail: {
      kind: body.kind,
      fields: body.fields.join(' '),
      documentCategories: body.documentCategories.join(' '),
    },
  });
  const row = await findInstructionOfTenant(deps.db, staff.tenantId, id);
  return toView(deps, row!, now);
}

/** The DPO sees every instruction of the tenant; an orderer, their own. */
export async function listInstructions(
  deps: AppDeps,
  actor: Actor,
): Promise<Static<typeof InstructionList>> {
  const staff = staffOf(actor);
  const now = deps.clock.now();
  const rows = await listInstructionsOfTenant(
    deps.db,
    staff.tenantId,
    seesEveryExportInstruction(actor) ? null : staff.accountId,
  );
  return { items: await Promise.all(rows.map((r) => toView(deps, r, now))) };
}

/** Loads an instruction of the actor's tenant and authorizes the action; foreign answers as missing. */
export async function requireInstruction(
  deps: AppDeps,
  actor: Actor,
  action:
    | 'export.read'
    | 'export.approve'
    | 'export.download'
    | 'export.mintRecipientToken'
    | 'export.acknowledge'
    | 'export.cancelErasure',
  id: string,
): Promise<ExportInstructionRow> {
  return requireAuthorized(deps.db, actor, action, {
    type: 'export-instruction',
    id,
    table: 'export_instructions',
    // Staff, or the recipient's token (the rule checks it is bound to this one), in their tenant.
    find: async () =>
      actor.kind === 'staff' || actor.kind === 'integration'
        ? findInstructionOfTenant(deps.db, actor.tenantId, id)
        : undefined,
    facts: (row) => ({
      type: 'export-instruction',
      id: row.id,
      tenantId: row.tenant_id,
      orderedBy: row.ordered_by,
    }),
  });
}

/**
 * An instruction as it is now, after an act already authorized on it (the recipient's token,
 * which may not read it otherwise, gets what it acknowledged).
 */
export async function currentView(deps: AppDeps, row: ExportInstructionRow): Promise<View> {
  const updated = await findInstructionOfTenant(deps.db, row.tenant_id, row.id);
  return toView(deps, updated ?? row, deps.clock.now());
}

/** One instruction, its status and what its scope covers, for its orderer and the DPO. */
export async function readInstruction(deps: AppDeps, actor: Actor, id: string): Promise<View> {
  const row = await requireInstruction(deps, actor, 'export.read', id);
  return toView(deps, row, deps.clock.now());
}

/**
 * The DPO approves or refuses a pending instruction that someone else ordered. Only a pending
 * one, before its expiry: an approval covers exactly what it was shown.
 */
export async function decideOnInstruction(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  id: string,
  decision: { approve: true } | { approve: false; reason: string },
): Promise<View> {
  const row = await requireInstruction(deps, actor, 'export.approve', id);
  const staff = staffOf(actor);
  const now = deps.clock.now();
  const state = (await toView(deps, row, now)).status;
  if (state !== 'pending') {
    throw problems.conflict(
      'instruction-not-pending',
      `Cette instruction n’est pas en attente d’approbation (${state}).`,
    );
  }
  const decided = await decideInstruction(deps.db, row.id, {
    status: decision.approve ? 'approved' : 'refused',
    by: staff.accountId,
    at: now.toISOString(),
    reason: decision.approve ? null : decision.reason,
  });
  if (!decided) {
    throw problems.conflict('instruction-not-pending', 'Cette instruction vient d’être décidée.');
  }
  await recordSecurityEvent(deps, origin, {
    kind: decision.approve ? 'export.approved' : 'export.refused',
    actor,
    objectType: 'export-instruction',
    objectId: row.id,
  });
  if (decision.approve) deps.exportJob.wake();
  const updated = await findInstructionOfTenant(deps.db, staff.tenantId, row.id);
  return toView(deps, updated!, now);
}
