import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DbOrTx } from '../db/database.js';
import type { AppDeps } from '../deps.js';
import type { PersonCipher } from '../crypto/vault.js';
import { sealedField } from '../crypto/sealed-fields.js';
import { sealedPerson } from '../modules/persons/sealed-person.js';
import { insertPerson } from '../modules/persons/person.repository.js';
import { insertCase } from '../modules/cases/case.repository.js';
import { insertTransition } from '../modules/cases/case-workflow.repository.js';
import { insertDocument } from '../modules/documents/document.repository.js';
import { putSealed } from '../modules/documents/sealed-blobs.js';
import { insertEntry } from '../modules/case-entries/entry.repository.js';
import { appendAudit, type AuditEntry } from '../modules/audit/audit-log.js';
import { auditActor } from '../modules/audit/record.js';
import type { StaffRole } from '../policy/actor.js';
import { insertSeededRight } from './demo.repository.js';
import { seededValidity } from './demo-records.js';
import type { PlannedCase, PlannedPerson, StepActor } from './scale-plan.js';
import { lastActivity } from './scale-plan.js';

/**
 * How the scale seed writes one person and one case with its history: sealed as the
 * application seals them, through the repositories it writes with, every act recorded in the
 * tenant's audit chain by the audit log's own append.
 */

type Deps = Pick<AppDeps, 'blobs' | 'vault'>;

/** A staff member the history is attributed to. */
export interface ScaleStaff {
  id: string;
  role: StaffRole;
  team: string | null;
}

/** The tenant a case belongs to and the staff who handled it. */
export interface ScaleTenant {
  id: string;
  code: string;
  accueil: ScaleStaff;
  responsable: ScaleStaff;
  instructeurs: Record<'equipe-nord' | 'equipe-sud', ScaleStaff>;
  evaluateurs: [ScaleStaff, ScaleStaff];
}

/** A sample file a case sends, and the piece it stands for. */
export interface SampleFile {
  category: string;
  piece: string | null;
  name: string;
  kind: 'pdf' | 'png' | 'jpeg';
  bytes: Buffer;
}

/** A document whose sealed blob is still to be stored; its row follows once it is. */
export interface PendingDocument extends SampleFile {
  id: string;
  tenantId: string;
  caseId: string;
  cipher: PersonCipher;
  uploadedBy: string;
  at: string;
  /** The review that let the case become recevable, if it did. */
  accepted: { by: string; at: string } | null;
  /** A certificate's date, some days before it was sent. */
  issuedOn: string | null;
}

const ROUTES = {
  'case.create': 'POST /api/v1/cases',
  'case.transition': 'POST /api/v1/cases/:caseId/transitions',
  'case.assign': 'PUT /api/v1/cases/:caseId/assignment',
  'case.decide': 'PUT /api/v1/cases/:caseId/rights/:right/decision',
  'document.upload': 'POST /api/v1/cases/:caseId/documents',
  'message.create': 'POST /api/v1/cases/:caseId/messages',
  'note.create': 'POST /api/v1/cases/:caseId/notes',
} as const;

/** What an agent's request would have recorded, at the time of the act. */
function staffEvent(
  tenantId: string,
  who: ScaleStaff,
  action: keyof typeof ROUTES,
  object: { type: string; id: string },
  at: Date,
): AuditEntry {
  const actor = auditActor({
    kind: 'staff',
    accountId: who.id,
    tenantId,
    role: who.role,
    team: who.team,
  });
  return {
    at: at.toISOString(),
    ...actor,
    onBehalfOf: null,
    action,
    objectType: object.type,
    objectId: object.id,
    outcome: 'allowed',
    ip: null,
    route: ROUTES[action],
  };
}

/** A new person, sealed under a data key of their own; returns their id and cipher. */
export async function writePerson(
  deps: Deps,
  trx: DbOrTx,
  tenantId: string,
  p: PlannedPerson,
  now: Date,
): Promise<{ id: string; cipher: PersonCipher }> {
  const id = randomUUID();
  const row = await sealedPerson(deps, trx, {
    id,
    tenantId,
    accountId: null,
    firstName: p.first,
    lastName: p.last,
    birthDate: p.birth,
    nir: p.nir,
    address: p.address,
    now,
  });
  await insertPerson(trx, row);
  // Through the vault as every later use would: the key just wrapped, unwrapped once.
  return { id, cipher: await deps.vault.forPerson(trx, tenantId, id) };
}

const SUMMARIES = [
  'Demande saisie depuis le formulaire papier reçu au guichet.',
  'Renouvellement de droits arrivant à échéance.',
  'Première demande ; situation décrite dans le formulaire joint.',
  'Aggravation de la situation depuis la dernière décision.',
];
const REASONS = {
  accord: 'Critères remplis au vu de l’évaluation pluridisciplinaire.',
  accord_partiel: 'Accord sur une partie des besoins exprimés.',
  rejet: 'Critères non remplis à la date de l’évaluation.',
};
const MESSAGES = [
  'Bonjour, votre dossier a bien été reçu et est en cours de traitement.',
  'Merci de nous transmettre un justificatif de domicile récent.',
  'Votre dossier sera présenté à la prochaine commission.',
];
const NOTE = 'Note interne : situation à revoir avec l’équipe pluridisciplinaire.';

/**
 * One case and its history (transitions, rights and decisions, messages, notes, audit events);
 * its documents are returned to be stored by the caller, many at a time.
 */
export async function writeCase(
  trx: DbOrTx,
  tenant: ScaleTenant,
  person: { id: string; cipher: PersonCipher },
  c: PlannedCase,
  reference: string,
  files: readonly SampleFile[],
  counts: { events: number; messages: number; notes: number },
): Promise<PendingDocument[]> {
  const id = randomUUID();
  const { cipher } = person;
  const instructeur = tenant.instructeurs[c.team];
  const evaluateur = tenant.evaluateurs[c.evaluateurIndex];
  const byRole: Record<StepActor, ScaleStaff> = {
    accueil: tenant.accueil,
    instructeur,
    evaluateur,
    responsable: tenant.responsable,
  };
  const deadlineStep = c.steps.find((s) => s.to === 'attente_pieces');
  const events: AuditEntry[] = [];
  const event = (
    who: ScaleStaff,
    action: keyof typeof ROUTES,
    type: string,
    objectId: string,
    at: Date,
  ) => events.push(staffEvent(tenant.id, who, action, { type, id: objectId }, at));

  await insertCase(trx, {
    id,
    tenant_id: tenant.id,
    reference,
    person_id: person.id,
    filed_by_account_id: tenant.accueil.id,
    status: c.status,
    team: c.status === 'brouillon' ? null : c.team,
    instructeur_id: c.hasInstructeur ? instructeur.id : null,
    evaluateur_id: c.hasEvaluateur ? evaluateur.id : null,
    summary_enc: cipher.seal(sealedField.caseSummary(id), SUMMARIES[reference.length % 4]!),
    pieces_deadline: deadlineStep
      ? new Date(deadlineStep.at.getTime() + 30 * 86_400_000).toISOString().slice(0, 10)
      : null,
    submitted_at: c.steps[0]?.at.toISOString() ?? null,
    created_at: c.createdAt.toISOString(),
    updated_at: lastActivity(c).toISOString(),
  });
  event(tenant.accueil, 'case.create', 'case', id, c.createdAt);

  // Made recevable: every piece was accepted then, the medical one by the évaluateur.
  const recevable = c.steps.find((s) => s.to === 'recevable');
  const documents = files.map((f) => ({
    ...f,
    id: randomUUID(),
    tenantId: tenant.id,
    caseId: id,
    cipher,
    uploadedBy: tenant.accueil.id,
    at: c.createdAt.toISOString(),
    accepted: recevable
      ? {
          by: f.category === 'medical' ? evaluateur.id : tenant.accueil.id,
          at: recevable.at.toISOString(),
        }
      : null,
    issuedOn:
      f.piece === 'certificat_medical'
        ? new Date(c.createdAt.getTime() - 10 * 86_400_000).toISOString().slice(0, 10)
        : null,
  }));
  for (const d of documents)
    event(tenant.accueil, 'document.upload', 'document', d.id, c.createdAt);

  const decideStep = c.steps.find((s) => s.to === 'decide');
  for (const [i, code] of c.rights.entries()) {
    const decision = decideStep ? c.decisions?.[i] : undefined;
    const rightId = randomUUID();
    await insertSeededRight(trx, {
      id: rightId,
      tenant_id: tenant.id,
      case_id: id,
      right_code: code,
      decision: decision ?? null,
      decision_reason_enc: decision
        ? cipher.seal(sealedField.decisionReason(rightId), REASONS[decision])
        : null,
      decided_by: decision ? instructeur.id : null,
      decided_at: decision && decideStep ? decideStep.at.toISOString() : null,
      ...seededValidity(decision && decideStep ? decision : null, decideStep?.at ?? new Date(0)),
      session_id: null,
    });
    if (decision && decideStep) event(instructeur, 'case.decide', 'case', id, decideStep.at);
  }

  for (const step of c.steps) {
    if (step.to === 'recevable' || step.to === 'attente_pieces' || step.to === 'evaluation')
      event(tenant.responsable, 'case.assign', 'case', id, step.at);
    const who = byRole[step.by];
    await insertTransition(trx, {
      tenantId: tenant.id,
      caseId: id,
      fromStatus: step.from,
      toStatus: step.to,
      actorAccountId: who.id,
      at: step.at.toISOString(),
    });
    event(who, 'case.transition', 'case', id, step.at);
  }

  const submitted = c.steps[0]?.at ?? c.createdAt;
  for (let i = 0; i < c.messages; i += 1) {
    const entryId = randomUUID();
    const at = new Date(submitted.getTime() + (i + 1) * 10 * 60_000);
    await insertEntry(trx, 'messages', {
      id: entryId,
      tenantId: tenant.id,
      caseId: id,
      authorId: instructeur.id,
      bodyEnc: cipher.seal(sealedField.entryBody('messages', entryId), MESSAGES[i % 3]!),
      at: at.toISOString(),
    });
    event(instructeur, 'message.create', 'message', entryId, at);
    counts.messages += 1;
  }
  for (let i = 0; i < c.notes; i += 1) {
    const entryId = randomUUID();
    await insertEntry(trx, 'notes', {
      id: entryId,
      tenantId: tenant.id,
      caseId: id,
      authorId: instructeur.id,
      bodyEnc: cipher.seal(sealedField.entryBody('notes', entryId), NOTE),
      at: submitted.toISOString(),
    });
    event(instructeur, 'note.create', 'note', entryId, submitted);
    counts.notes += 1;
  }

  events.sort((a, b) => a.at.localeCompare(b.at));
  for (const e of events) await appendAudit(trx, e);
  counts.events += events.length;
  return documents;
}

/** Stores a document's sealed blob, as an upload does. */
export async function storeBlob(deps: Deps, d: PendingDocument) {
  return putSealed(deps.blobs, d.cipher, d.id, Readable.from([d.bytes]));
}

/** The row of a document whose blob is stored. */
export async function writeDocument(
  trx: DbOrTx,
  d: PendingDocument,
  stored: { key: string; size: number; sha256: string },
): Promise<void> {
  await insertDocument(trx, {
    id: d.id,
    tenant_id: d.tenantId,
    case_id: d.caseId,
    category: d.category,
    piece: d.piece,
    original_name_enc: d.cipher.seal(sealedField.documentName(d.id), d.name),
    media_type:
      d.kind === 'png' ? 'image/png' : d.kind === 'jpeg' ? 'image/jpeg' : 'application/pdf',
    size_bytes: stored.size,
    sha256_enc: d.cipher.seal(sealedField.documentHash(d.id), stored.sha256),
    storage_key: stored.key,
    uploaded_by: d.uploadedBy,
    created_at: d.at,
    review_status: d.accepted ? 'accepted' : 'pending',
    reviewed_by: d.accepted?.by ?? null,
    reviewed_at: d.accepted?.at ?? null,
    issued_on_enc: d.cipher.sealOptional(sealedField.documentIssuedOn(d.id), d.issuedOn),
  });
}
