import { useState } from 'react';
import { useNavigate } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { renewCase, type CaseDetail } from '../api/cases';
import { formatDate } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';

/**
 * What a usager can do once their decision is notified: contest it within the 2 months the
 * server counts (the recours administratif préalable obligatoire), and ask for the renewal of
 * the rights it granted.
 */
export function CaseFollowUp({
  detail,
  onAppeal,
  busy,
}: {
  detail: CaseDetail;
  onAppeal: () => Promise<boolean>;
  busy: boolean;
}) {
  const navigate = useNavigate();
  const renewal = useAction();
  const [confirming, setConfirming] = useState(false);
  const { appealDeadline, appealOpen } = detail.deadlines;
  const mayAppeal = appealOpen && detail.nextStatuses.includes('recours');
  const granted = detail.rights.some(
    (r) => r.decision === 'accord' || r.decision === 'accord_partiel',
  );
  const mayRenew =
    detail.abilities.includes('case.renew') &&
    granted &&
    (detail.status === 'notifie' || detail.status === 'cloture');

  return (
    <>
      {appealDeadline && (
        <section aria-labelledby="recours-titre" className={fr.cx('fr-mt-6w')}>
          <h2 id="recours-titre">Contester la décision</h2>
          {mayAppeal ? (
            <>
              <p>
                Vous pouvez contester cette décision jusqu’au {formatDate(appealDeadline)} inclus
                (recours administratif préalable obligatoire auprès de la MDPH). Votre dossier sera
                réexaminé par l’équipe pluridisciplinaire puis par la CDAPH.
              </p>
              {!confirming ? (
                <Button type="button" priority="secondary" onClick={() => setConfirming(true)}>
                  Contester la décision du dossier {detail.reference}
                </Button>
              ) : (
                <div role="group" aria-labelledby="recours-question">
                  <p id="recours-question">
                    Confirmez-vous le recours contre la décision du dossier {detail.reference} ?
                    Vous pourrez ensuite joindre des pièces et écrire à la MDPH.
                  </p>
                  <div className="cloison-usager-actions">
                    <Button
                      type="button"
                      disabled={busy}
                      onClick={() => void onAppeal().then(() => setConfirming(false))}
                    >
                      Oui, contester la décision
                    </Button>
                    <Button type="button" priority="secondary" onClick={() => setConfirming(false)}>
                      Non, ne pas contester
                    </Button>
                  </div>
                </div>
              )}
            </>
          ) : (
            <p>Le délai de recours auprès de la MDPH a pris fin le {formatDate(appealDeadline)}.</p>
          )}
        </section>
      )}
      {mayRenew && (
        <section aria-labelledby="renouvellement-titre" className={fr.cx('fr-mt-6w')}>
          <h2 id="renouvellement-titre">Renouveler mes droits</h2>
          <p>
            Avant la fin de validité de vos droits, demandez leur renouvellement : une nouvelle
            demande est préparée à partir de ce dossier, que vous relisez avant de la déposer.
          </p>
          <ProblemAlert error={renewal.error} />
          <Button
            type="button"
            disabled={renewal.busy}
            onClick={() =>
              void renewal.run(async () => {
                const draft = await renewCase(detail.id);
                navigate(`/mon-espace/dossiers/${draft.id}/modifier`);
              })
            }
          >
            Préparer le renouvellement du dossier {detail.reference}
          </Button>
        </section>
      )}
    </>
  );
}
