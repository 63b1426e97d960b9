import { useEffect, useRef, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { cancelMigrationErasure, type ExportInstruction } from '../api/exports';
import { formatDate, formatDateTime } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { counted } from './labels';

const DAY_MS = 86_400_000;

/** "dans 14 jours", "dans moins d’un jour": what is left of the grace period, to the nearest day. */
export function timeLeft(dueAt: string, now = Date.now()): string {
  const ms = new Date(dueAt).getTime() - now;
  // Due but not done yet: the job erases it on its next pass.
  if (ms <= 0) return 'imminent';
  if (ms < DAY_MS) return 'dans moins d’un jour';
  return `dans ${counted(Math.round(ms / DAY_MS), 'jour')}`;
}

const migrated = (n: number) => `${n} personne${n > 1 ? 's' : ''} migrée${n > 1 ? 's' : ''}`;

/**
 * An acknowledged migration whose source waits its grace period: when it will be erased, and
 * the DPO's cancelling, confirmed in a second step since it cannot be undone (a cancelled
 * migration never erases its source; that would take a new instruction).
 */
export function PendingErasure({
  instruction: i,
  focus,
  onCancelled,
}: {
  instruction: ExportInstruction;
  /** Take the focus when shown: the acknowledgement form it replaces has just left the page. */
  focus: boolean;
  onCancelled: (message: string) => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const question = useRef<HTMLParagraphElement>(null);
  const ask = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  const who = i.recipient.name;
  const m = i.migration!;
  const due = `Effacement de la source prévu le ${formatDate(m.erasureDueAt)} (${timeLeft(m.erasureDueAt)}).`;

  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  // The button pressed goes away: the focus follows to what replaced it, and back.
  useEffect(() => {
    if (confirming) question.current?.focus();
    else if (asked.current) ask.current?.focus();
  }, [confirming]);

  function cancel() {
    void run(async () => {
      await cancelMigrationErasure(i.id);
      await onCancelled(
        `Effacement annulé pour la migration vers ${who} : les personnes restent dans Cloison.`,
      );
    });
  }

  return (
    <section className="cloison-export-card" aria-labelledby={`erasure-${i.id}`}>
      <h4 id={`erasure-${i.id}`} ref={heading} tabIndex={-1}>
        Migration vers {who}
      </h4>
      <p>
        Réception confirmée le {formatDateTime(m.acknowledgedAt)}. <strong>{due}</strong>
      </p>
      <p className={fr.cx('fr-text--sm')}>
        {i.run?.progress && `${migrated(i.run.progress.persons)}. `}
        {i.eraseOpenCases
          ? 'Les personnes dont un dossier est encore ouvert sont effacées aussi, comme l’instruction approuvée le prévoit.'
          : 'Les personnes dont un dossier est encore ouvert sont gardées.'}{' '}
        Une personne liée par un mandat, ou dont un dossier n’est pas parti avec la migration, est
        toujours gardée.
      </p>
      <ProblemAlert error={error} title="L’effacement n’est pas annulé" />
      {!confirming && (
        <Button
          ref={ask}
          priority="secondary"
          disabled={busy}
          onClick={() => {
            asked.current = true;
            setConfirming(true);
          }}
        >
          Annuler l’effacement pour {who}
        </Button>
      )}
      {confirming && (
        <div>
          <p ref={question} tabIndex={-1}>
            Annuler l’effacement de la source pour la migration vers {who} ? Les personnes migrées
            restent dans Cloison ; l’instruction est close et ne pourra plus effacer la source.
          </p>
          <div className="cloison-admin-actions">
            <Button disabled={busy} onClick={cancel}>
              Confirmer l’annulation de l’effacement
            </Button>
            <Button priority="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              Garder l’effacement prévu
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}
