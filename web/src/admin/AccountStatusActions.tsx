import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { disableAccount, requestEnable } from '../api/accounts';
import type { StaffMember, StaffRequest } from '../api/staff';
import { formatDateTime } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';

/**
 * Disabling and re-enabling one account. An agent is disabled at once; an admin or the DPO only
 * once another administrator approves, and a disabled account comes back the same way. The page
 * says which before the click; the API decides each time.
 */
export function AccountStatusActions({
  account,
  pending,
  onChanged,
}: {
  account: StaffMember;
  /** The disable or re-enable request of this account waiting for a decision, if any. */
  pending: StaffRequest | undefined;
  onChanged: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, status, run } = useAction();
  const name = account.displayName;
  const twoAdmins = account.disableNeedsSecondAdmin;

  function disable() {
    setConfirming(false);
    void run(async () => {
      const outcome = await disableAccount(account.id);
      onChanged();
      return outcome.status === 'pending'
        ? `Demande de désactivation envoyée pour ${name} : un autre administrateur doit l’approuver. Le compte reste actif d’ici là.`
        : `Le compte de ${name} est désactivé.`;
    });
  }

  function reenable() {
    void run(async () => {
      await requestEnable(account.id);
      onChanged();
      return `Demande de réactivation envoyée pour ${name} : un autre administrateur doit l’approuver.`;
    });
  }

  return (
    <div className={fr.cx('fr-mt-2w')}>
      <div role="status">{status && <Alert severity="success" small description={status} />}</div>
      <ProblemAlert error={error} />
      {pending && (
        <Alert
          severity="info"
          small
          description={`${
            pending.purpose === 'enable' ? 'Réactivation' : 'Désactivation'
          } demandée le ${formatDateTime(pending.requestedAt)} : elle attend la décision d’un autre administrateur (Demandes à approuver).`}
        />
      )}
      {!pending && account.status === 'active' && !confirming && (
        <>
          {twoAdmins && (
            <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
              Ce compte détient le rôle d’administrateur ou de DPO : sa désactivation doit être
              approuvée par un second administrateur, et le département garde toujours deux
              administrateurs actifs.
            </p>
          )}
          <Button priority="tertiary" disabled={busy} onClick={() => setConfirming(true)}>
            {twoAdmins
              ? `Demander la désactivation du compte de ${name}`
              : `Désactiver le compte de ${name}`}
          </Button>
        </>
      )}
      {confirming && (
        <div>
          <p>
            {twoAdmins
              ? `Demander la désactivation du compte de ${name} ? Il reste actif jusqu’à l’approbation d’un autre administrateur ; ses sessions sont alors fermées.`
              : `Désactiver le compte de ${name} ? Ses sessions sont fermées aussitôt et il ne peut plus se connecter.`}
          </p>
          <div className="cloison-admin-actions">
            <Button disabled={busy} onClick={disable}>
              {twoAdmins ? 'Envoyer la demande de désactivation' : 'Confirmer la désactivation'}
            </Button>
            <Button priority="secondary" onClick={() => setConfirming(false)}>
              Annuler
            </Button>
          </div>
        </div>
      )}
      {!pending && account.canBeReenabled && (
        <>
          <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
            La réactivation doit être approuvée par un second administrateur. Les anciennes sessions
            restent fermées : la personne se reconnecte avec son mot de passe et son second facteur.
          </p>
          <Button priority="secondary" disabled={busy} onClick={reenable}>
            Réactiver le compte de {name}
          </Button>
        </>
      )}
    </div>
  );
}
