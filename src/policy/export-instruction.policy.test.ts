import { describe, expect, it } from 'vitest';
import type { Actor, StaffRole } from './actor.js';
import { ROLE_GATES, type Action } from './actions.js';
import { can } from './authorize.js';
import { EXPORT_CATALOGUE, EXPORT_DATA_FIELDS } from './export-fields.js';
import { DOCUMENT_CATEGORIES } from './vocabulary.js';
import {
  canOnExportInstruction,
  instructionProblem,
  keptAfterMigration,
  MAX_INSTRUCTION_DAYS,
  type InstructionContent,
} from './export-instruction.policy.js';

const NOW = new Date('2026-12-04T10:00:00Z');
const staff = (role: StaffRole, accountId = `acc-${role}`, tenantId = 't44'): Actor => ({
  kind: 'staff',
  role,
  accountId,
  tenantId,
  team: null,
});
const ordered = {
  type: 'export-instruction',
  id: 'ei-1',
  tenantId: 't44',
  orderedBy: 'acc-responsable',
} as const;
const ACTIONS = Object.keys(ROLE_GATES) as Action[];
/** The recipient's token of an instruction, holding (wrongly) every permission there is. */
const recipientToken = (instructionId: string, tenantId = 't44'): Actor => ({
  kind: 'integration',
  tokenId: 'tok-1',
  tenantId,
  permissions: ACTIONS,
  exportInstructionId: instructionId,
});

describe('who reaches an export instruction', () => {
  const rows: ReadonlyArray<readonly [string, Actor, readonly Action[]]> = [
    [
      'its orderer',
      staff('responsable'),
      ['export.read', 'export.download', 'export.mintRecipientToken'],
    ],
    ['another responsable of the tenant', staff('responsable', 'acc-other'), []],
    ['an admin who did not order it', staff('admin'), []],
    [
      'the DPO of the tenant',
      staff('dpo'),
      ['export.read', 'export.approve', 'export.acknowledge', 'export.cancelErasure'],
    ],
    ['the DPO of another tenant', staff('dpo', 'acc-dpo', 't85'), []],
    ['an instructeur', staff('instructeur'), []],
    ['a usager', { kind: 'usager', accountId: 'acc-responsable', tenantId: 't44' }, []],
    ['the operator', { kind: 'operateur', accountId: 'acc-op' }, []],
    ['the token bound to it', recipientToken('ei-1'), ['export.download', 'export.acknowledge']],
    ['a token bound to another instruction', recipientToken('ei-2'), []],
    ['a token bound to it, of another tenant (never minted)', recipientToken('ei-1', 't85'), []],
    // An ordinary token granted the export actions (stored before they left the list, or
    // written by hand): the gate and the rule both give it nothing.
    [
      'an ordinary token holding every action',
      {
        kind: 'integration',
        tokenId: 'tok-2',
        tenantId: 't44',
        permissions: ACTIONS,
        exportInstructionId: null,
      },
      [],
    ],
  ];
  it.each(rows)('%s', (_name, actor, allowed) => {
    for (const action of ACTIONS) {
      expect(can(actor, action, ordered), action).toBe(allowed.includes(action));
    }
  });

  it('never lets the orderer approve, whatever their role', () => {
    // A DPO could only order through a role change; the rule does not rely on the gate.
    const dpoOrdered = { ...ordered, orderedBy: 'acc-dpo' };
    expect(canOnExportInstruction(staff('dpo'), 'export.approve', dpoOrdered)).toBe(false);
    expect(canOnExportInstruction(staff('dpo'), 'export.read', dpoOrdered)).toBe(true);
  });
});

const content = (over: Partial<InstructionContent> = {}): InstructionContent => ({
  kind: 'export',
  medicalRecipient: false,
  medicalReason: null,
  fields: ['case.reference', 'case.status'],
  documentCategories: [],
  scope: { all: true },
  expiresAt: new Date(NOW.getTime() + 7 * 86_400_000),
  ...over,
});

describe('what an instruction may ask for', () => {
  it('accepts catalogue fields and categories for a plain recipient', () => {
    expect(instructionProblem(content(), NOW)).toBeNull();
    expect(
      instructionProblem(content({ fields: [], documentCategories: ['identity'] }), NOW),
    ).toBeNull();
  });

  it.each([
    ['nothing asked', { fields: [], documentCategories: [] }, /au moins un champ/],
    ['a field not in the catalogue', { fields: ['person.password'] }, /pas au catalogue/],
    ['a document entry as a field', { fields: ['documents.identity'] }, /par catégorie/],
    ['a field twice', { fields: ['case.status', 'case.status'] }, /deux fois/],
    ['an unknown category', { documentCategories: ['secret'] }, /n’existe pas/],
    ['health data to a plain recipient', { fields: ['case.situation'] }, /destinataire médical/],
    ['medical pieces to a plain recipient', { documentCategories: ['medical'] }, /médical/],
    [
      'health data without a reason',
      { fields: ['case.situation'], medicalRecipient: true },
      /raison/,
    ],
    ['an empty case list', { scope: { caseIds: [] } }, /vide/],
    ['an empty filter', { scope: {} }, /au moins un statut/],
    ['an unknown status', { scope: { statuses: ['perdu'] } }, /statut perdu/],
    ['an unknown right', { scope: { rights: ['XYZ'] } }, /droit XYZ/],
    [
      'a period ending before it starts',
      { scope: { from: '2026-05-01', to: '2026-04-01' } },
      /finit avant/,
    ],
    ['a date that is none', { scope: { from: '2026-02-31x' } }, /pas une date/],
    ['an expiry in the past', { expiresAt: new Date(NOW.getTime() - 1000) }, /futur/],
    [
      'an expiry too far',
      { expiresAt: new Date(NOW.getTime() + (MAX_INSTRUCTION_DAYS + 1) * 86_400_000) },
      /au plus tard/,
    ],
  ] as const)('refuses %s', (_name, over, message) => {
    expect(instructionProblem(content(over as Partial<InstructionContent>), NOW)).toMatch(message);
  });

  it('lets health data go to a medical recipient who says why', () => {
    expect(
      instructionProblem(
        content({
          fields: ['case.situation'],
          documentCategories: ['medical'],
          medicalRecipient: true,
          medicalReason: 'Reprise du suivi par le service médical du département voisin.',
        }),
        NOW,
      ),
    ).toBeNull();
  });

  it('gives every catalogue entry a sensitivity, medical pieces and the situation as health', () => {
    const health = EXPORT_CATALOGUE.filter((f) => f.sensitivity === 'health').map((f) => f.name);
    expect(health.sort()).toEqual(['case.situation', 'documents.medical']);
    expect(new Set(EXPORT_CATALOGUE.map((f) => f.name)).size).toBe(EXPORT_CATALOGUE.length);
  });
});

describe('the source’s erasure after a migration', () => {
  const settled = { status: 'cloture', exported: true };
  it('erases only persons whose every case left with the run, in no mandate, settled', () => {
    expect(keptAfterMigration({ cases: [settled], mandates: 0 }, false)).toBeNull();
    expect(keptAfterMigration({ cases: [], mandates: 0 }, false)).toBeNull();
    expect(
      keptAfterMigration(
        { cases: [settled, { status: 'archive', exported: false }], mandates: 0 },
        true,
      ),
    ).toBe('case-not-migrated');
    expect(keptAfterMigration({ cases: [settled], mandates: 1 }, true)).toBe('mandate');
    const open = { status: 'notifie', exported: true };
    expect(keptAfterMigration({ cases: [settled, open], mandates: 0 }, false)).toBe('open-case');
    expect(keptAfterMigration({ cases: [open], mandates: 0 }, true)).toBeNull();
  });

  it('takes the whole file in a migration, and erases open cases only in one', () => {
    const all = {
      fields: EXPORT_DATA_FIELDS.map((f) => f.name),
      documentCategories: [...DOCUMENT_CATEGORIES],
      medicalRecipient: true,
      medicalReason: 'Reprise complète du dossier par le nouveau logiciel.',
    };
    expect(instructionProblem(content({ kind: 'migration', ...all }), NOW)).toBeNull();
    expect(
      instructionProblem(content({ kind: 'migration', ...all, fields: all.fields.slice(1) }), NOW),
    ).toMatch(/il manque case.reference/);
    expect(
      instructionProblem(
        content({ kind: 'migration', ...all, documentCategories: ['identity'] }),
        NOW,
      ),
    ).toMatch(/il manque address/);
    expect(instructionProblem(content({ eraseOpenCases: true }), NOW)).toMatch(
      /Seule une migration/,
    );
  });
});
