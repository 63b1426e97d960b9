import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { getCase, transitionCase } from '../api/cases';
import { listDocuments } from '../api/documents';
import { Page } from '../app/Page';
import { decisionLabel, formatDate, rightLabel, statusLabel } from '../ui/labels';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useApi } from '../ui/useApi';
import { CaseDecisions, CaseDocuments, MissingPieces } from './CaseDocuments';
import { CaseMessages } from './CaseMessages';
import { CaseFollowUp } from './CaseFollowUp';
import { StatusBadge } from '../ui/StatusBadge';
import { fullName } from './person-format';
import type { CaseStatus } from '../api/vocabulary';

async function load(caseId: string) {
  const detail = await getCase(caseId);
  const documents = detail.abilities.includes('document.list') ? await listDocuments(caseId) : [];
  return { detail, documents };
}

/** `/mon-espace/dossiers/:caseId`: one of my cases, with only the actions the server allows. */
export function CaseDetailPage() {
  const { caseId = '' } = useParams();
  const navigate = useNavigate();
  const data = useApi(() => load(caseId), [caseId]);
  const { busy, error, status, run } = useAction();
  const [confirming, setConfirming] = useState(false);
  const crumbs = [{ label: 'Mes demandes', to: '/mon-espace' }];

  if (data.error) {
    return (
      <Page title="Dossier" crumbs={crumbs}>
        <ProblemAlert error={data.error} />
      </Page>
    );
  }
  if (!data.data) return <Loading />;
  const { detail, documents } = data.data;

  function move(to: CaseStatus, done: string): Promise<boolean> {
    return run(async () => {
      await transitionCase(caseId, { to });
      setConfirming(false);
      await data.reload();
      return done;
    });
  }

  return (
    <Page title={`Dossier ${detail.reference}`} crumbs={crumbs}>
      <p>
        <StatusBadge status={detail.status} /> Demande pour {fullName(detail.subject)}
        {detail.submittedAt ? `, déposée le ${formatDate(detail.submittedAt)}` : ''}.
      </p>
      <div role="status" aria-live="polite">
        {status && <p className={fr.cx('fr-text--bold')}>{status}</p>}
      </div>
      <ProblemAlert error={error} />
      {detail.status === 'brouillon' && detail.abilities.includes('case.editDraft') && (
        <Button linkProps={{ to: `/mon-espace/dossiers/${detail.id}/modifier` }}>
          Reprendre le brouillon {detail.reference}
        </Button>
      )}

      <section aria-labelledby="droits-titre" className={fr.cx('fr-mt-4w')}>
        <h2 id="droits-titre">Droits demandés</h2>
        <Table
          caption="État de chaque droit demandé"
          headers={['Droit', 'Décision', 'Motif', 'Date']}
          data={detail.rights.map((r) => [
            rightLabel(r.code),
            r.decision ? decisionLabel(r.decision) : `En cours (${statusLabel(detail.status)})`,
            r.decisionReason ?? '—',
            r.decidedAt ? formatDate(r.decidedAt) : '—',
          ])}
        />
      </section>

      {detail.status === 'attente_pieces' && (
        <MissingPieces
          detail={detail}
          documents={documents}
          busy={busy}
          onUploaded={() => void data.reload()}
          onPiecesSent={() =>
            void move('depose', 'La MDPH est prévenue que vos pièces sont envoyées.')
          }
        />
      )}
      <CaseDecisions documents={documents} />
      <CaseFollowUp
        detail={detail}
        busy={busy}
        onAppeal={() =>
          move('recours', 'Votre recours est enregistré : la MDPH réexamine votre dossier.')
        }
      />
      <CaseDocuments documents={documents} />
      {detail.abilities.includes('message.list') && (
        <CaseMessages caseId={detail.id} canWrite={detail.abilities.includes('message.create')} />
      )}

      {detail.nextStatuses.includes('retire') && (
        <section aria-labelledby="retrait-titre" className={fr.cx('fr-mt-6w')}>
          <h2 id="retrait-titre">Retirer ma demande</h2>
          {!confirming ? (
            <Button type="button" priority="secondary" onClick={() => setConfirming(true)}>
              Retirer ma demande {detail.reference}
            </Button>
          ) : (
            <div role="group" aria-labelledby="retrait-question">
              <p id="retrait-question">
                Voulez-vous vraiment retirer la demande {detail.reference} ? La MDPH cessera de
                l’étudier ; ce retrait est définitif.
              </p>
              <div className="cloison-usager-actions">
                <Button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void move('retire', 'Votre demande a été retirée.').then(
                      (ok) => ok && navigate('/mon-espace'),
                    )
                  }
                >
                  Oui, retirer la demande
                </Button>
                <Button type="button" priority="secondary" onClick={() => setConfirming(false)}>
                  Non, garder la demande
                </Button>
              </div>
            </div>
          )}
        </section>
      )}
    </Page>
  );
}
