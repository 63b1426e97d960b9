import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { verifyAuditLog, type AuditVerification } from '../api/audit';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { formatDateTime } from '../ui/labels';

/** Re-computes the département's hash chain and signed checkpoints now, on the server. */
export function VerifyLog() {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const { busy, error, run } = useAction();

  function verify() {
    setResult(null);
    void run(async () => {
      setResult(await verifyAuditLog());
    });
  }

  return (
    <section aria-labelledby="cloison-verify" className={fr.cx('fr-mt-6w')}>
      <h2 id="cloison-verify">Intégrité du journal</h2>
      <p>
        Chaque événement est chaîné au précédent et des points de contrôle sont signés : la
        vérification recalcule toute la chaîne du département.
      </p>
      <Button onClick={verify} disabled={busy}>
        Vérifier l’intégrité du journal
      </Button>
      <ProblemAlert error={error} />
      <div role="status" className={fr.cx('fr-mt-2w')}>
        {busy && <p>Vérification en cours…</p>}
        {result?.ok && (
          <Alert
            severity="success"
            small={false}
            title="Le journal est intègre"
            description={`${result.events} événements et ${result.checkpoints} points de contrôle signés vérifiés le ${formatDateTime(result.checkedAt)}.`}
          />
        )}
        {result && !result.ok && (
          <Alert
            severity="error"
            small={false}
            title="Le journal a été altéré"
            description={`La chaîne est rompue à l’événement n° ${result.problem?.seq ?? '?'} (${result.problem?.reason ?? 'raison inconnue'}). Une alerte a été enregistrée ; ne modifiez rien et prévenez l’exploitant.`}
          />
        )}
      </div>
    </section>
  );
}
