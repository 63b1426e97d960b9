import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { CallOut } from '@codegouvfr/react-dsfr/CallOut';
import { Table } from '@codegouvfr/react-dsfr/Table';
import type { CaseDetail } from '../api/cases';
import { documentContentUrl, type DocumentView } from '../api/documents';
import { PIECE_CATEGORY, REQUIRED_PIECES, type Piece } from '../api/vocabulary';
import {
  CATEGORY_LABEL,
  formatBytes,
  formatDate,
  formatDateTime,
  PIECE_LABEL,
  pieceCheckLabel,
  REVIEW_LABEL,
} from '../ui/labels';
import { PieceUpload } from './PieceUpload';
import { currentPiece } from './RequestSteps';

const download = (d: DocumentView) => (
  <a href={documentContentUrl(d.id)} download className={fr.cx('fr-link')}>
    Télécharger {d.originalName}
  </a>
);

/** Why the current document of a piece was refused, if it was. */
function reasonOf(documents: DocumentView[], piece: Piece): string | null {
  const current = documents.find((d) => d.piece === piece && d.supersededBy === null);
  return current?.review?.status === 'rejected' ? current.review.reason : null;
}

/** How a document's review reads in the table: refused with its reason, or replaced. */
function reviewOf(d: DocumentView): string {
  if (d.supersededBy) return `Remplacé le ${formatDate(d.supersededAt ?? d.createdAt)}`;
  if (!d.review) return '—';
  const reason = d.review.status === 'rejected' && d.review.reason ? ` : ${d.review.reason}` : '';
  return `${REVIEW_LABEL[d.review.status]}${reason}`;
}

/** "Pièces manquantes": the checklist with upload in place, then "J'ai envoyé les pièces". */
export function MissingPieces(props: {
  detail: CaseDetail;
  documents: DocumentView[];
  busy: boolean;
  onUploaded: () => void;
  onPiecesSent: () => void;
}) {
  const { detail } = props;
  // Missing, refused, or a certificate too old: each gets a field (a new file replaces the old).
  const missing = REQUIRED_PIECES.filter(
    (p) =>
      !detail.completeness[p].supplied ||
      detail.completeness[p].review === 'rejected' ||
      detail.completeness[p].dateValid === false,
  );
  const mayUpload = detail.abilities.includes('document.upload');
  const [sentHere, setSentHere] = useState<ReadonlySet<Piece>>(new Set());
  return (
    <section aria-labelledby="pieces-titre" className={fr.cx('fr-mt-6w')}>
      <h2 id="pieces-titre">Pièces manquantes</h2>
      <CallOut title="La MDPH attend des pièces" titleAs="h3">
        {detail.piecesDeadline
          ? `Envoyez-les avant le ${formatDate(detail.piecesDeadline)}, sinon la demande pourra être classée sans suite.`
          : 'Envoyez-les dès que possible.'}
      </CallOut>
      <ul>
        {REQUIRED_PIECES.map((p) => (
          <li key={p}>
            {PIECE_LABEL[p]} : {pieceCheckLabel(detail.completeness[p], 'reçue')}
            {reasonOf(props.documents, p) && <> — motif : {reasonOf(props.documents, p)}</>}
          </li>
        ))}
      </ul>
      {/* A piece just received keeps its field: unmounting it would take away the "sent"
          confirmation (and its announcement) the moment the checklist refreshes. */}
      {mayUpload &&
        REQUIRED_PIECES.filter((p) => missing.includes(p) || sentHere.has(p)).map((piece) => (
          <PieceUpload
            key={piece}
            caseId={detail.id}
            category={PIECE_CATEGORY[piece]}
            piece={piece}
            label={PIECE_LABEL[piece]}
            done={detail.completeness[piece].supplied && !missing.includes(piece)}
            replaces={currentPiece(props.documents, piece)}
            onUploaded={() => {
              setSentHere((sent) => new Set(sent).add(piece));
              props.onUploaded();
            }}
          />
        ))}
      {detail.nextStatuses.includes('depose') && (
        <Button type="button" disabled={props.busy} onClick={props.onPiecesSent}>
          J’ai envoyé les pièces
        </Button>
      )}
    </section>
  );
}

/** The documents of the case (decisions apart), each downloadable as an attachment. */
export function CaseDocuments({ documents }: { documents: DocumentView[] }) {
  const files = documents.filter((d) => d.category !== 'decision');
  return (
    <section aria-labelledby="documents-titre" className={fr.cx('fr-mt-6w')}>
      <h2 id="documents-titre">Documents du dossier</h2>
      {files.length === 0 ? (
        <p>Aucun document.</p>
      ) : (
        <Table
          caption="Documents envoyés pour ce dossier"
          headers={['Document', 'Catégorie', 'Taille', 'Reçu le', 'Vérification']}
          data={files.map((d) => [
            download(d),
            d.piece ? PIECE_LABEL[d.piece] : CATEGORY_LABEL[d.category],
            formatBytes(d.sizeBytes),
            formatDateTime(d.createdAt),
            reviewOf(d),
          ])}
        />
      )}
    </section>
  );
}

/** "Décisions": the notification letters of the MDPH. */
export function CaseDecisions({ documents }: { documents: DocumentView[] }) {
  const letters = documents.filter((d) => d.category === 'decision');
  return (
    <section aria-labelledby="decisions-titre" className={fr.cx('fr-mt-6w')}>
      <h2 id="decisions-titre">Décisions</h2>
      {letters.length === 0 ? (
        <p>Aucune décision n’a encore été envoyée.</p>
      ) : (
        <ul>
          {letters.map((d) => (
            <li key={d.id}>
              {download(d)} ({formatBytes(d.sizeBytes)}, reçue le {formatDate(d.createdAt)})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
