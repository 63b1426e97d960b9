import { useCallback, useMemo, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { listExportFields, listExportInstructions } from '../api/exports';
import { Page } from '../app/Page';
import { formatDateTime } from '../ui/labels';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { scopeText } from './InstructionSummary';
import { InstructionBadge, RunDetails } from './InstructionStatus';
import { IN_PROGRESS, KIND_LABEL } from './labels';
import { MigrationsSection } from './MigrationsSection';
import { PendingInstruction } from './PendingInstruction';
import { usePolling } from './usePolling';
import '../admin/admin.css';
import './exports.css';

/**
 * The DPO's exports: each instruction waiting for approval with what, why, to whom and how
 * many, the end of the migrations (acknowledgements, erasures due, their cancelling), then
 * every other instruction of the département and where it stands.
 */
export function ExportApprovalsPage() {
  const instructions = useApi(listExportInstructions);
  const fields = useApi(listExportFields);
  const catalogue = useMemo(
    () => new Map((fields.data ?? []).map((f) => [f.name, f])),
    [fields.data],
  );
  const [decided, setDecided] = useState<string | null>(null);
  const { reload } = instructions;
  const onDecided = useCallback(
    async (message: string) => {
      setDecided(message);
      await reload();
    },
    [reload],
  );
  const all = instructions.data ?? [];
  const pending = all.filter((i) => i.status === 'pending');
  const others = all.filter((i) => i.status !== 'pending');
  usePolling(
    others.some((i) => IN_PROGRESS.has(i.status)),
    instructions.reload,
  );

  return (
    <Page title="Exports à approuver">
      <p>
        Approuvez une instruction seulement si chaque champ et chaque catégorie de pièces est
        nécessaire à la finalité annoncée, et si les données de santé vont à un destinataire médical
        pour une raison écrite.
      </p>
      <div role="status">{decided && <Alert severity="success" small description={decided} />}</div>
      <ProblemAlert error={instructions.error} />
      <ProblemAlert error={fields.error} />
      {instructions.loading && !instructions.data && <Loading />}
      <h2>En attente de votre décision</h2>
      {instructions.data && pending.length === 0 && <p>Aucune instruction en attente.</p>}
      {pending.map((i) => (
        <PendingInstruction
          key={i.id}
          instruction={i}
          catalogue={catalogue}
          onDecided={onDecided}
        />
      ))}
      {instructions.data && <MigrationsSection instructions={all} onChanged={onDecided} />}
      <h2>Autres instructions du département</h2>
      {instructions.data && others.length === 0 && <p>Aucune autre instruction.</p>}
      {others.length > 0 && (
        <Table
          caption="Instructions déjà décidées"
          headers={['Demandée le', 'Objet', 'Destinataire', 'Statut', 'Décidée le', 'Avancement']}
          data={others.map((i) => [
            formatDateTime(i.orderedAt),
            `${KIND_LABEL[i.kind]} : ${i.purpose} — ${scopeText(i.scope)}`,
            i.recipient.name,
            <InstructionBadge key="s" status={i.status} />,
            formatDateTime(i.decidedAt),
            <RunDetails key="r" instruction={i} />,
          ])}
        />
      )}
    </Page>
  );
}
