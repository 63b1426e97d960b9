import { useLocation } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { listCases, type CaseListItem } from '../api/cases';
import { Page } from '../app/Page';
import { formatDate, rightLabel } from '../ui/labels';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { StatusBadge } from '../ui/StatusBadge';
import { fullName } from './person-format';

/** My cases, with the rights each asks for (the list carries them: one request). */
const loadMyCases = () => listCases({ limit: 200 });

export function MyCasesPage() {
  const cases = useApi(loadMyCases);
  const deposited = (useLocation().state as { deposited?: string } | null)?.deposited;
  return (
    <Page title="Mes demandes">
      <div role="status">
        {deposited && (
          <Alert
            severity="success"
            title={`Demande ${deposited} déposée`}
            description="La MDPH l’a reçue. Vous serez prévenu de chaque étape ; suivez-la ici."
            small
          />
        )}
      </div>
      <p>
        <Button iconId="fr-icon-add-line" linkProps={{ to: '/mon-espace/nouvelle-demande' }}>
          Faire une nouvelle demande
        </Button>
      </p>
      <ProblemAlert error={cases.error} />
      {cases.loading && !cases.data && <Loading label="Chargement de vos demandes…" />}
      {cases.data && cases.data.length === 0 && (
        <p>Vous n’avez encore aucune demande. Commencez par « Faire une nouvelle demande ».</p>
      )}
      {cases.data && cases.data.length > 0 && (
        <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
          {cases.data.map((c) => (
            <li key={c.id} className={fr.cx('fr-col-12', 'fr-col-md-6')}>
              <CaseCard c={c} />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

function CaseCard({ c }: { c: CaseListItem }) {
  const draft = c.status === 'brouillon';
  return (
    <Card
      title={`Dossier ${c.reference}`}
      titleAs="h2"
      start={<StatusBadge status={c.status} />}
      desc={
        <>
          Pour {fullName(c.subject)}.
          <br />
          Droits demandés : {c.rightCodes.map(rightLabel).join(', ') || 'aucun'}.
          {c.piecesDeadline && (
            <>
              <br />
              Pièces à envoyer avant le {formatDate(c.piecesDeadline)}.
            </>
          )}
        </>
      }
      end={
        <p className={fr.cx('fr-card__detail')}>
          {c.submittedAt
            ? `Déposé le ${formatDate(c.submittedAt)}`
            : `Brouillon modifié le ${formatDate(c.updatedAt)}`}
        </p>
      }
      footer={
        <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
          {draft && (
            <li>
              <Button linkProps={{ to: `/mon-espace/dossiers/${c.id}/modifier` }}>
                Reprendre le brouillon {c.reference}
              </Button>
            </li>
          )}
          <li>
            <Button
              priority={draft ? 'secondary' : 'primary'}
              linkProps={{ to: `/mon-espace/dossiers/${c.id}` }}
            >
              Voir le dossier {c.reference}
            </Button>
          </li>
        </ul>
      }
    />
  );
}
