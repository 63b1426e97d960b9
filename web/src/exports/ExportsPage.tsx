import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { listExportFields, listExportInstructions } from '../api/exports';
import { Page } from '../app/Page';
import { formatDateTime } from '../ui/labels';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { scopeText } from './InstructionSummary';
import { DownloadLink, InstructionBadge, RunDetails } from './InstructionStatus';
import { IN_PROGRESS, KIND_LABEL, counted } from './labels';
import { NewInstructionForm } from './NewInstructionForm';
import { RecipientTokenCard, mayMintToken } from './RecipientTokenCard';
import { usePolling } from './usePolling';
import '../admin/admin.css';
import './exports.css';

/**
 * The responsable's and the admin's exports and migrations: those they ordered, where each
 * stands, the download once ready, the recipient's token of an approved one, and the form to
 * order a new one.
 */
export function ExportsPage() {
  const instructions = useApi(listExportInstructions);
  const catalogue = useApi(listExportFields);
  // Only while the job works on one: a pending instruction may wait days for the DPO, and a
  // page polling that long would keep an unattended session alive.
  usePolling(
    (instructions.data ?? []).some((i) => IN_PROGRESS.has(i.status)),
    instructions.reload,
  );
  const mintable = (instructions.data ?? []).filter((i) => mayMintToken(i));

  return (
    <Page title="Exports et migrations">
      <p>
        Aucune donnée ne sort de Cloison sans instruction écrite approuvée par le DPO. Le fichier
        est chiffré pour le destinataire et supprimé du serveur à l’expiration de l’instruction.
      </p>
      <h2>Mes instructions</h2>
      <Button
        priority="tertiary"
        size="small"
        iconId="fr-icon-refresh-line"
        disabled={instructions.loading}
        onClick={() => void instructions.reload()}
      >
        Actualiser la liste
      </Button>
      <ProblemAlert error={instructions.error} />
      {instructions.loading && !instructions.data && <Loading />}
      {instructions.data && instructions.data.length === 0 && <p>Aucune instruction.</p>}
      {instructions.data && instructions.data.length > 0 && (
        <Table
          caption="Instructions que j’ai données"
          headers={['Demandée le', 'Objet', 'Destinataire', 'Statut', 'Avancement', 'Fichier']}
          data={instructions.data.map((i) => [
            formatDateTime(i.orderedAt),
            <span key="o">
              {KIND_LABEL[i.kind]} : {i.purpose}
              <br />
              <span className={fr.cx('fr-text--xs')}>
                {scopeText(i.scope)} ({counted(i.counts.cases, 'dossier')},{' '}
                {counted(i.counts.persons, 'personne')})
              </span>
            </span>,
            i.recipient.name,
            <InstructionBadge key="s" status={i.status} />,
            <RunDetails key="r" instruction={i} />,
            <DownloadLink key="d" instruction={i} />,
          ])}
        />
      )}
      {mintable.length > 0 && (
        <section aria-labelledby="recipient-tokens" className={fr.cx('fr-mt-4w')}>
          <h2 id="recipient-tokens">Jeton pour le système du destinataire</h2>
          <p>
            Plutôt que de lui transmettre le fichier vous-même, vous pouvez donner au système du
            destinataire d’une instruction approuvée un jeton qui ne sert qu’à cette instruction.
          </p>
          {mintable.map((i) => (
            <RecipientTokenCard key={i.id} instruction={i} />
          ))}
        </section>
      )}
      <ProblemAlert error={catalogue.error} />
      {catalogue.data && (
        <NewInstructionForm catalogue={catalogue.data} onDone={() => void instructions.reload()} />
      )}
    </Page>
  );
}
