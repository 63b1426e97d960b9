import type { DbOrTx } from '../../db/database.js';
import type { CaseRow } from '../../db/schema.js';
import { appealDeadline, withinAppealWindow } from '../../policy/case-deadlines.js';
import type { PersonCipher } from '../../crypto/vault.js';
import type { TransitionGuard } from '../../policy/case-workflow.js';
import { loadPieceDocuments } from '../documents/piece-documents.js';
import {
  certificateStillFresh,
  incompleteness,
  pieceChecklist,
} from '../documents/piece-checklist.js';
import { listRights } from './case.repository.js';

/** The guards of a transition that the case does not meet yet, with a French explanation. */
export async function unmetGuards(
  db: DbOrTx,
  row: CaseRow,
  guards: readonly TransitionGuard[],
  input: { today: string; piecesDeadline?: string; cipher: PersonCipher },
): Promise<string[]> {
  const unmet: string[] = [];
  for (const guard of guards) {
    switch (guard) {
      case 'complete': {
        // Read in the transition's transaction: a review or replacement racing it is seen.
        const documents = await loadPieceDocuments(db, input.cipher, row.tenant_id, row.id);
        unmet.push(...incompleteness(pieceChecklist(documents, input.today)));
        break;
      }
      case 'certificateFresh': {
        const documents = await loadPieceDocuments(db, input.cipher, row.tenant_id, row.id);
        if (!certificateStillFresh(documents, input.today)) {
          unmet.push('le certificat médical date de plus de 12 mois : remplacez-le');
        }
        break;
      }
      case 'evaluateurAssigned':
        if (row.evaluateur_id === null) unmet.push('aucun évaluateur médical affecté');
        break;
      case 'allRightsDecided': {
        const rights = await listRights(db, row.tenant_id, row.id);
        if (rights.some((r) => r.decision === null))
          unmet.push('tous les droits ne sont pas décidés');
        break;
      }
      case 'deadlinePassed':
        if (row.pieces_deadline === null || row.pieces_deadline >= input.today) {
          unmet.push('le délai de production des pièces n’est pas échu');
        }
        break;
      case 'withinAppealWindow':
        // A case notified before the day was recorded has no window the server can vouch for.
        if (row.notified_on === null || !withinAppealWindow(row.notified_on, input.today)) {
          unmet.push(
            row.notified_on === null
              ? 'la date de notification n’est pas connue'
              : `le délai de recours a expiré le ${appealDeadline(row.notified_on)}`,
          );
        }
        break;
      case 'deadlineGiven':
        if (!input.piecesDeadline || input.piecesDeadline <= input.today) {
          unmet.push('un délai (piecesDeadline) postérieur à aujourd’hui est requis');
        }
        break;
    }
  }
  return unmet;
}
