import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { reviewDocument, type DocumentView } from '../api/documents';
import { fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { REVIEW_LABEL, formatDate } from '../ui/labels';

/**
 * A piece's review, and for who may review it, accept or reject with a reason the usager reads.
 * Whether this agent may is the API's (a medical piece: the case's évaluateur only); a refusal
 * shows here like any other.
 */
export function PieceReview({
  document,
  mayReview,
  onReviewed,
}: {
  document: DocumentView;
  mayReview: boolean;
  onReviewed: () => void;
}) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, status, run } = useAction();
  const review = document.review;
  if (!review) return null;
  if (document.supersededBy) {
    return (
      <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
        Remplacée le {formatDate(document.supersededAt ?? document.createdAt)} : ne compte plus.
      </p>
    );
  }

  const decide = (decision: 'accepted' | 'rejected') =>
    void run(async () => {
      await reviewDocument(document.id, {
        decision,
        ...(decision === 'rejected' ? { reason } : {}),
      });
      setRejecting(false);
      onReviewed();
      return decision === 'accepted'
        ? 'Pièce acceptée.'
        : 'Pièce refusée ; l’usager voit le motif.';
    });

  function submitRejection(event: FormEvent) {
    event.preventDefault();
    decide('rejected');
  }

  return (
    <div className={fr.cx('fr-mb-2w')}>
      <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
        Vérification : {REVIEW_LABEL[review.status]}
        {review.reason ? ` — motif : ${review.reason}` : ''}
        {document.issuedOn ? ` (certificat du ${formatDate(document.issuedOn)})` : ''}
      </p>
      <ProblemAlert error={error} title="La vérification n’a pas été enregistrée" />
      {status && (
        <p role="status" className={fr.cx('fr-text--sm')}>
          {status}
        </p>
      )}
      {mayReview && !rejecting && (
        <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-sm', 'fr-btns-group--sm')}>
          <li>
            <Button type="button" size="small" disabled={busy} onClick={() => decide('accepted')}>
              Accepter
            </Button>
          </li>
          <li>
            <Button
              type="button"
              size="small"
              priority="secondary"
              disabled={busy}
              onClick={() => setRejecting(true)}
            >
              Refuser…
            </Button>
          </li>
        </ul>
      )}
      {mayReview && rejecting && (
        <form onSubmit={submitRejection} noValidate>
          <Input
            label="Motif du refus"
            hintText="Montré à l’usager, pour qu’il sache quoi renvoyer."
            {...fieldState(error, 'reason')}
            textArea
            nativeTextAreaProps={{
              name: 'reason',
              value: reason,
              rows: 2,
              maxLength: 2000,
              required: true,
              onChange: (e) => setReason(e.target.value),
            }}
          />
          <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-sm', 'fr-btns-group--sm')}>
            <li>
              <Button type="submit" size="small" disabled={busy}>
                Refuser la pièce
              </Button>
            </li>
            <li>
              <Button
                type="button"
                size="small"
                priority="tertiary"
                onClick={() => setRejecting(false)}
              >
                Annuler
              </Button>
            </li>
          </ul>
        </form>
      )}
    </div>
  );
}
