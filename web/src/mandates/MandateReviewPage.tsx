import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import {
  listMandates,
  mandateProofUrl,
  verifyMandate,
  type MandateToReview,
} from '../api/mandates';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useApi } from '../ui/useApi';
import { PROOF_KIND_LABEL, formatDate } from '../ui/labels';
import { EndMandateForm } from './EndMandateForm';

function MandateItem({ m, onChanged }: { m: MandateToReview; onChanged: () => void }) {
  const { busy, error, status, run } = useAction();
  const verify = () =>
    void run(async () => {
      await verifyMandate(m.id);
      onChanged();
      return 'Mandat vérifié.';
    });
  return (
    <section aria-labelledby={`mandat-${m.id}`} className={fr.cx('fr-mb-4w')}>
      <h2 id={`mandat-${m.id}`} className={fr.cx('fr-h5')}>
        {m.personName}, représenté(e) par {m.representativeName}
      </h2>
      <p>
        Mandat du {formatDate(m.startsOn)} au {formatDate(m.endsOn)} :{' '}
        {m.endedAt
          ? `fin anticipée enregistrée le ${formatDate(m.endedAt)}`
          : m.verifiedAt
            ? `vérifié le ${formatDate(m.verifiedAt)}`
            : 'à vérifier'}
        .
      </p>
      {m.proof ? (
        <p>
          Justificatif : {PROOF_KIND_LABEL[m.proof.kind]}, reçu le {formatDate(m.proof.uploadedAt)}{' '}
          —{' '}
          <a href={mandateProofUrl(m.id)} download className={fr.cx('fr-link')}>
            Télécharger le justificatif
          </a>
        </p>
      ) : (
        <p>Aucun justificatif : le mandat ne peut pas être vérifié.</p>
      )}
      <ProblemAlert error={error} title="Le mandat n’a pas été vérifié" />
      {status && <p role="status">{status}</p>}
      {!m.verifiedAt && !m.endedAt && (
        <Button type="button" size="small" disabled={busy || !m.proof} onClick={verify}>
          J’ai vérifié le justificatif
        </Button>
      )}
      {!m.endedAt && <EndMandateForm mandateId={m.id} onEnded={onChanged} />}
    </section>
  );
}

/** `/instruction/mandats`: mandates of the département, their proofs, verification and end. */
export function MandateReviewPage() {
  const [pending, setPending] = useState(true);
  const list = useApi(() => listMandates(pending), [pending]);
  const items = list.data ?? [];
  return (
    <Page
      title="Mandats"
      lead="Un mandat ne donne accès aux dossiers de la personne représentée qu’une fois son justificatif vérifié."
    >
      <Checkbox
        options={[
          {
            label: 'Seulement les mandats à vérifier',
            nativeInputProps: { checked: pending, onChange: (e) => setPending(e.target.checked) },
          },
        ]}
      />
      <ProblemAlert error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && items.length === 0 && <p>Aucun mandat.</p>}
      {items.map((m) => (
        <MandateItem key={m.id} m={m} onChanged={() => void list.reload()} />
      ))}
    </Page>
  );
}
