import { DOCUMENT_CATEGORIES, type DocumentCategory } from './vocabulary.js';

/**
 * Everything Cloison can put in an export, by name, with how sensitive it is. An instruction
 * names fields from this list and nothing else; the export's serialiser is driven by the same
 * names, so a field cannot leave unless it is here and instructed.
 */

/** How sensitive a field is; `health` needs a medical recipient and a stated reason. */
export const EXPORT_SENSITIVITIES = [
  'case',
  'identity',
  'nir',
  'health',
  'documents',
  'messages',
  'notes',
  'decisions',
  'audit',
] as const;
export type ExportSensitivity = (typeof EXPORT_SENSITIVITIES)[number];

export interface ExportField {
  readonly name: string;
  readonly sensitivity: ExportSensitivity;
  readonly description: string;
}

/** The fields of persons and cases (documents are named by category, below). */
export const EXPORT_DATA_FIELDS = [
  { name: 'case.reference', sensitivity: 'case', description: 'Numéro du dossier' },
  { name: 'case.status', sensitivity: 'case', description: 'Statut du dossier' },
  {
    name: 'case.dates',
    sensitivity: 'case',
    description: 'Dates du dossier : création, dépôt, recevabilité, échéance légale, notification',
  },
  {
    name: 'case.rights',
    sensitivity: 'decisions',
    description: 'Droits demandés (AAH, PCH… : révèlent un handicap)',
  },
  {
    name: 'case.decisions',
    sensitivity: 'decisions',
    description: 'Décisions par droit : accord, accord partiel ou rejet, validité, motif',
  },
  {
    name: 'case.situation',
    sensitivity: 'health',
    description: 'Situation et besoins décrits dans la demande',
  },
  {
    name: 'case.history',
    sensitivity: 'audit',
    description: 'Historique des statuts : qui, quand, vers quel statut',
  },
  { name: 'case.messages', sensitivity: 'messages', description: 'Messages échangés' },
  { name: 'case.notes', sensitivity: 'notes', description: 'Notes internes des agents' },
  { name: 'person.firstName', sensitivity: 'identity', description: 'Prénom' },
  { name: 'person.lastName', sensitivity: 'identity', description: 'Nom' },
  { name: 'person.birthDate', sensitivity: 'identity', description: 'Date de naissance' },
  { name: 'person.address', sensitivity: 'identity', description: 'Adresse' },
  { name: 'person.nir', sensitivity: 'nir', description: 'Numéro de sécurité sociale (NIR)' },
] as const satisfies readonly ExportField[];

export type ExportDataFieldName = (typeof EXPORT_DATA_FIELDS)[number]['name'];

const CATEGORY_LABELS: Record<DocumentCategory, string> = {
  identity: 'Justificatifs d’identité',
  address: 'Justificatifs de domicile',
  medical: 'Pièces médicales (certificat médical, comptes rendus)',
  financial: 'Pièces financières',
  decision: 'Décisions et notifications',
  correspondence: 'Courriers',
  other: 'Autres pièces',
};

/** The catalogue name of a document category (`documents.medical`...). */
export function documentFieldName(category: DocumentCategory): string {
  return `documents.${category}`;
}

/** Every entry of the catalogue: the data fields, then one entry per document category. */
export const EXPORT_CATALOGUE: readonly ExportField[] = [
  ...EXPORT_DATA_FIELDS,
  ...DOCUMENT_CATEGORIES.map((category) => ({
    name: documentFieldName(category),
    sensitivity: (category === 'medical' ? 'health' : 'documents') as ExportSensitivity,
    description: CATEGORY_LABELS[category],
  })),
];

const BY_NAME = new Map(EXPORT_CATALOGUE.map((f) => [f.name, f]));

/** The catalogue entry of a name, or undefined when Cloison cannot export such a thing. */
export function catalogueField(name: string): ExportField | undefined {
  return BY_NAME.get(name);
}
