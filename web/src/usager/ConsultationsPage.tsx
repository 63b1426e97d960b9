import { Table } from '@codegouvfr/react-dsfr/Table';
import { listMyConsultations } from '../api/audit';
import { Page } from '../app/Page';
import { formatDateTime, roleLabel } from '../ui/labels';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';

/** What the agent did, in words (the audit log's action names). */
const ACTION_LABEL: Record<string, string> = {
  'case.read': 'A consulté le dossier',
  'case.transition': 'A fait avancer le dossier',
  'case.assign': 'A attribué le dossier',
  'case.decide': 'A enregistré une décision',
  'case.editDraft': 'A modifié le brouillon',
  'document.list': 'A consulté la liste des pièces',
  'document.read': 'A ouvert une pièce',
  'document.upload': 'A ajouté une pièce',
  'message.list': 'A lu les messages',
  'message.create': 'A écrit un message',
  'note.list': 'A lu les notes internes',
  'note.create': 'A écrit une note interne',
  'case.breakGlass': 'Accès exceptionnel (bris de glace)',
  'document.review': 'A vérifié une pièce',
};

/** `/mon-espace/consultations`: every access by MDPH staff to my files, from the audit log. */
export function ConsultationsPage() {
  const list = useApi(listMyConsultations);
  const items = list.data ?? [];
  const withNames = items.some((i) => i.agentName);
  return (
    <Page
      title="Qui a consulté mon dossier"
      crumbs={[{ label: 'Mes demandes', to: '/mon-espace' }]}
      lead="Chaque fois qu’un agent de la MDPH ouvre votre dossier ou l’une de vos pièces, c’est enregistré dans un journal infalsifiable. Voici ce journal."
    >
      <ProblemAlert error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && items.length === 0 && <p>Personne n’a encore consulté vos dossiers.</p>}
      {items.length > 0 && (
        <Table
          caption="Consultations de vos dossiers par les agents, les plus récentes d’abord"
          headers={[
            'Date',
            'Dossier',
            'Rôle',
            'Service',
            'Motif',
            'Action',
            ...(withNames ? ['Agent'] : []),
          ]}
          data={items.map((i) => [
            formatDateTime(i.at),
            i.caseReference,
            roleLabel(i.role),
            i.service ?? '—',
            i.purpose ?? '—',
            ACTION_LABEL[i.action] ?? i.action,
            ...(withNames ? [i.agentName ?? '—'] : []),
          ])}
        />
      )}
    </Page>
  );
}
