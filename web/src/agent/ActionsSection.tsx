import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { transitionCase, type CaseDetail } from '../api/cases';
import { fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { statusLabel } from '../ui/labels';
import type { CaseStatus } from '../api/vocabulary';

/**
 * One button per transition the server says this person may make now (nextStatuses). The
 * request for missing pieces has its own section (it needs a deadline and a message).
 */
export function ActionsSection({ c, onDone }: { c: CaseDetail; onDone: (c: CaseDetail) => void }) {
  const [comment, setComment] = useState('');
  const { busy, error, status: done, run } = useAction();
  const targets = c.nextStatuses.filter((s) => s !== 'attente_pieces');
  // Keep the section (and its status message) after the last possible move was made.
  if (targets.length === 0 && !done) return null;

  function move(to: CaseStatus) {
    void run(async () => {
      const next = await transitionCase(c.id, {
        to,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      setComment('');
      onDone(next);
      return `Le dossier est passé au statut « ${statusLabel(next.status)} ».`;
    });
  }

  return (
    <section aria-labelledby="actions-title" className={fr.cx('fr-mt-4w')}>
      <h2 id="actions-title" className={fr.cx('fr-h4')}>
        Actions
      </h2>
      <ProblemAlert error={error} title="Le changement de statut a été refusé" />
      <div role="status">{done && <p className={fr.cx('fr-text--bold')}>{done}</p>}</div>
      {targets.length === 0 && <p>Aucune autre action ne vous revient à ce stade.</p>}
      {targets.length > 0 && (
        <>
          <Input
            label="Commentaire (facultatif)"
            hintText="Conservé avec le changement de statut."
            {...fieldState(error, 'comment')}
            textArea
            nativeTextAreaProps={{
              name: 'transition-comment',
              value: comment,
              maxLength: 2000,
              rows: 2,
              onChange: (e) => setComment(e.target.value),
            }}
          />
          <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
            {targets.map((to) => (
              <li key={to}>
                <Button priority="secondary" disabled={busy} onClick={() => void move(to)}>
                  {`Passer à : ${statusLabel(to)}`}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
