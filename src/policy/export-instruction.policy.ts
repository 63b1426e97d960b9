import type { Actor } from './actor.js';
import type { Action } from './actions.js';
import { CASE_STATUSES } from './case-workflow.js';
import { catalogueField, documentFieldName, EXPORT_DATA_FIELDS } from './export-fields.js';
import { DOCUMENT_CATEGORIES, RIGHT_CODES, type DocumentCategory } from './vocabulary.js';

/** An export instruction as the policy sees it. */
export interface ExportInstructionFacts {
  readonly id: string;
  readonly tenantId: string;
  /** The responsable or admin who ordered it. */
  readonly orderedBy: string;
}

/**
 * Who reaches an instruction of their own département: the DPO, who approves them, and whoever
 * ordered it; another agent, even of the same role, does not. Approval is the DPO's and never
 * the orderer's own. The recipient's system, with the token the orderer minted for this very
 * instruction, downloads it and acknowledges it; any other instruction is missing to it.
 */
export function canOnExportInstruction(
  actor: Actor,
  action: Action,
  instruction: ExportInstructionFacts,
): boolean {
  if (actor.kind === 'integration') {
    if (actor.exportInstructionId !== instruction.id || actor.tenantId !== instruction.tenantId) {
      return false;
    }
    // Whether there is a file, a migration, a download before the acknowledgement: the same
    // checks as for the orderer and the DPO, in the service.
    return action === 'export.download' || action === 'export.acknowledge';
  }
  if (actor.kind !== 'staff' || actor.tenantId !== instruction.tenantId) return false;
  const ordered = instruction.orderedBy === actor.accountId;
  if (
    action === 'export.approve' ||
    action === 'export.acknowledge' ||
    action === 'export.cancelErasure'
  ) {
    return actor.role === 'dpo' && !ordered;
  }
  if (action === 'export.read') return actor.role === 'dpo' || ordered;
  // The DPO approves what leaves but does not take it away: only the one who ordered it, who
  // alone may also hand the recipient's system a token to take it.
  if (action === 'export.download' || action === 'export.mintRecipientToken') return ordered;
  return false;
}

/** Whether the actor sees every instruction of the tenant in the list, or only their own. */
export function seesEveryExportInstruction(actor: Actor): boolean {
  return actor.kind === 'staff' && actor.role === 'dpo';
}

/** What an instruction says, as the rules below need it. */
export interface InstructionContent {
  readonly kind: 'export' | 'migration';
  readonly medicalRecipient: boolean;
  readonly medicalReason: string | null;
  readonly fields: readonly string[];
  readonly documentCategories: readonly string[];
  readonly scope:
    | { readonly all: true }
    | {
        readonly statuses?: readonly string[];
        readonly rights?: readonly string[];
        readonly from?: string;
        readonly to?: string;
      }
    | { readonly caseIds: readonly string[] };
  readonly expiresAt: Date;
  readonly eraseOpenCases?: boolean;
}

/** The longest an instruction stays usable: what is not run by then must be ordered again. */
export const MAX_INSTRUCTION_DAYS = 90;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The first reason the instruction cannot be accepted, in French for the orderer, or null.
 * Pure: the catalogue decides what may leave, the sensitivity what needs a medical recipient.
 */
export function instructionProblem(content: InstructionContent, now: Date): string | null {
  if (content.fields.length === 0 && content.documentCategories.length === 0) {
    return 'Une instruction nomme au moins un champ ou une catégorie de pièces.';
  }
  if (new Set(content.fields).size !== content.fields.length)
    return 'Un champ est nommé deux fois.';
  if (new Set(content.documentCategories).size !== content.documentCategories.length) {
    return 'Une catégorie de pièces est nommée deux fois.';
  }
  let health = false;
  for (const name of content.fields) {
    const field = catalogueField(name);
    if (field === undefined) return `Le champ ${name} n’est pas au catalogue des exports.`;
    if (name.startsWith('documents.')) {
      return `Les pièces se demandent par catégorie (documentCategories), pas par le champ ${name}.`;
    }
    health ||= field.sensitivity === 'health';
  }
  for (const category of content.documentCategories) {
    if (!(DOCUMENT_CATEGORIES as readonly string[]).includes(category)) {
      return `La catégorie de pièces ${category} n’existe pas.`;
    }
    health ||=
      catalogueField(documentFieldName(category as DocumentCategory))?.sensitivity === 'health';
  }
  if (content.kind === 'migration') {
    // The source is erased after a migration: whatever it left behind would be lost.
    const missing = [
      ...EXPORT_DATA_FIELDS.map((f) => f.name).filter((f) => !content.fields.includes(f)),
      ...DOCUMENT_CATEGORIES.filter((c) => !content.documentCategories.includes(c)),
    ];
    if (missing.length > 0) {
      return `Une migration emporte tout le dossier, sa source étant effacée après : il manque ${missing.join(', ')}.`;
    }
  } else if (content.eraseOpenCases === true) {
    return 'Seule une migration efface sa source (eraseOpenCases).';
  }
  if (health && !content.medicalRecipient) {
    return 'Des données de santé ne partent que vers un destinataire médical (recipient.medical).';
  }
  if (health && (content.medicalReason ?? '').trim().length < 10) {
    return 'Des données de santé ne partent qu’avec la raison qui les rend nécessaires (medicalReason).';
  }
  const scope = problemOfScope(content.scope);
  if (scope) return scope;
  const latest = now.getTime() + MAX_INSTRUCTION_DAYS * 86_400_000;
  if (Number.isNaN(content.expiresAt.getTime())) return 'Date d’expiration invalide.';
  if (content.expiresAt <= now) return 'La date d’expiration doit être dans le futur.';
  if (content.expiresAt.getTime() > latest) {
    return `Une instruction expire au plus tard dans ${MAX_INSTRUCTION_DAYS} jours.`;
  }
  return null;
}

function problemOfScope(scope: InstructionContent['scope']): string | null {
  if ('all' in scope) return null;
  if ('caseIds' in scope) {
    if (scope.caseIds.length === 0) return 'La liste des dossiers est vide.';
    if (new Set(scope.caseIds).size !== scope.caseIds.length)
      return 'Un dossier est nommé deux fois.';
    return null;
  }
  const { statuses = [], rights = [], from, to } = scope;
  if (statuses.length + rights.length === 0 && from === undefined && to === undefined) {
    return 'Un filtre nomme au moins un statut, un droit ou une date (sinon : {"all": true}).';
  }
  const badStatus = statuses.find((s) => !(CASE_STATUSES as readonly string[]).includes(s));
  if (badStatus !== undefined) return `Le statut ${badStatus} n’existe pas.`;
  const badRight = rights.find((r) => !(RIGHT_CODES as readonly string[]).includes(r));
  if (badRight !== undefined) return `Le droit ${badRight} n’existe pas.`;
  for (const day of [from, to]) {
    if (day !== undefined && (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))) {
      return `La date ${day} n’est pas une date (AAAA-MM-JJ).`;
    }
  }
  if (from !== undefined && to !== undefined && from > to)
    return 'La période finit avant de commencer.';
  return null;
}

/** Statuses after which a case asks nothing more of the MDPH. */
export const SETTLED_CASE_STATUSES = ['cloture', 'archive', 'retire', 'caduc'] as const;

/**
 * Why a migrated person stays in the source at the end of the grace period, or null when they
 * are erased: every case of theirs must have left with the run (nothing the migration did not
 * carry is destroyed), they must be in no mandate (mandates are not exported), and their cases
 * must be settled unless the instruction, as approved, said to erase open ones too.
 */
export function keptAfterMigration(
  person: {
    /** Every case of the person today, and whether it left with the run. */
    readonly cases: ReadonlyArray<{ readonly status: string; readonly exported: boolean }>;
    /** Mandates the person is in, represented or representing. */
    readonly mandates: number;
  },
  eraseOpenCases: boolean,
): 'case-not-migrated' | 'mandate' | 'open-case' | null {
  if (person.cases.some((c) => !c.exported)) return 'case-not-migrated';
  if (person.mandates > 0) return 'mandate';
  const settled = (s: string) => (SETTLED_CASE_STATUSES as readonly string[]).includes(s);
  if (!eraseOpenCases && person.cases.some((c) => !settled(c.status))) return 'open-case';
  return null;
}
