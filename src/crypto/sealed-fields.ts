import type { FieldRef } from './vault.js';

/**
 * Where every sealed column lives, in one place: the table, column and row bound into each
 * value's associated data. Services and the demo seed both take their references from here,
 * so a value sealed by one is opened by the other.
 */
export type PersonField = 'first_name' | 'last_name' | 'birth_date' | 'nir' | 'address';

const ref = (table: string, column: string, rowId: string | number): FieldRef => ({
  table,
  column,
  rowId: String(rowId),
});

export const sealedField = {
  person: (personId: string, field: PersonField) => ref('persons', field, personId),
  caseSummary: (caseId: string) => ref('cases', 'summary', caseId),
  decisionReason: (rightId: string) => ref('case_rights', 'decision_reason', rightId),
  transitionComment: (transitionId: number) => ref('case_transitions', 'comment', transitionId),
  entryBody: (table: 'messages' | 'notes', entryId: string) => ref(table, 'body', entryId),
  documentName: (documentId: string) => ref('documents', 'original_name', documentId),
  documentHash: (documentId: string) => ref('documents', 'sha256', documentId),
  totpSecret: (accountId: string) => ref('totp_credentials', 'secret_enc', accountId),
  documentReviewReason: (documentId: string) => ref('documents', 'review_reason', documentId),
  documentIssuedOn: (documentId: string) => ref('documents', 'issued_on', documentId),
  mandateProofName: (proofId: string) => ref('mandate_proofs', 'original_name', proofId),
  mandateProofHash: (proofId: string) => ref('mandate_proofs', 'sha256', proofId),
  mandateEndReason: (mandateId: string) => ref('mandates', 'end_reason', mandateId),
};
