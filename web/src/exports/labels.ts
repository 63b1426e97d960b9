import type { ExportInstruction } from '../api/exports';

type Severity = 'info' | 'success' | 'warning' | 'error' | 'new' | undefined;

/** An instruction's status in words, and its badge (the colour only repeats the words). */
export const INSTRUCTION_STATUS: Record<
  ExportInstruction['status'],
  { label: string; severity: Severity }
> = {
  pending: { label: 'En attente d’approbation', severity: 'new' },
  approved: { label: 'Approuvée, en file d’attente', severity: 'info' },
  refused: { label: 'Refusée', severity: 'error' },
  running: { label: 'En cours', severity: 'info' },
  ready: { label: 'Prêt à télécharger', severity: 'success' },
  failed: { label: 'Échec', severity: 'error' },
  expired: { label: 'Expirée', severity: undefined },
  acknowledged: { label: 'Réception confirmée', severity: 'success' },
  erased: { label: 'Copie source effacée', severity: undefined },
  cancelled: { label: 'Annulée', severity: undefined },
};

/** How sensitive a catalogue field is, in the words of the form. */
export const SENSITIVITY_LABEL: Record<string, string> = {
  case: 'Dossier',
  identity: 'Identité',
  nir: 'Numéro de sécurité sociale',
  health: 'Données de santé',
  documents: 'Pièces',
  messages: 'Messages',
  notes: 'Notes internes',
  decisions: 'Droits et décisions',
  audit: 'Historique',
};

export const KIND_LABEL: Record<ExportInstruction['kind'], string> = {
  export: 'Export',
  migration: 'Migration',
};

/** The statuses during which the server's job is still working on an instruction. */
export const IN_PROGRESS: ReadonlySet<string> = new Set(['approved', 'running']);

/** A word of a table, or the value itself when the server says something new. */
export function wordOf(table: Record<string, string>, value: string): string {
  return Object.hasOwn(table, value) ? table[value]! : value;
}

/** The catalogue name of a document category, as the export names its pieces. */
export const documentFieldName = (category: string) => `documents.${category}`;

/** "1 dossier", "3 dossiers": a count with its word, plural from 2 as French has it. */
export const counted = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;
