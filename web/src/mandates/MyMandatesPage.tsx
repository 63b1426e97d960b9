import { fr } from '@codegouvfr/react-dsfr';
import { listPersons } from '../api/persons';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { PROOF_KIND_LABEL, formatDate } from '../ui/labels';
import { EndMandateForm } from './EndMandateForm';
import { ProofUpload } from './ProofUpload';

/**
 * `/mon-espace/mandats`: the persons I represent, the proof each mandate rests on (sent here, for
 * an agent to verify), and ending a mandate.
 */
export function MyMandatesPage() {
  const persons = useApi(listPersons);
  const represented = (persons.data ?? []).filter((p) => p.mandate !== null);
  return (
    <Page
      title="Les personnes que je représente"
      crumbs={[{ label: 'Mes demandes', to: '/mon-espace' }]}
      lead="Un mandat ne donne accès aux dossiers de la personne qu’une fois son justificatif vérifié par la MDPH, et jusqu’à sa date de fin."
    >
      <ProblemAlert error={persons.error} />
      {persons.loading && !persons.data && <Loading />}
      {persons.data && represented.length === 0 && <p>Vous ne représentez personne.</p>}
      {represented.map((p) => {
        const m = p.mandate!;
        return (
          <section key={m.id} aria-labelledby={`mandat-${m.id}`} className={fr.cx('fr-mb-6w')}>
            <h2 id={`mandat-${m.id}`} className={fr.cx('fr-h4')}>
              {p.firstName} {p.lastName}
            </h2>
            <p>
              Mandat du {formatDate(m.startsOn)} au {formatDate(m.endsOn)} :{' '}
              {m.verified ? 'vérifié' : 'en attente de vérification'}.
            </p>
            <p>
              Justificatif :{' '}
              {m.proof
                ? `${PROOF_KIND_LABEL[m.proof.kind]}, envoyé le ${formatDate(m.proof.uploadedAt)}`
                : 'aucun pour l’instant'}
            </p>
            {!m.verified && (
              <ProofUpload mandateId={m.id} onUploaded={() => void persons.reload()} />
            )}
            <EndMandateForm mandateId={m.id} onEnded={() => void persons.reload()} />
          </section>
        );
      })}
    </Page>
  );
}
