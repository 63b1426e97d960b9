import { fr } from '@codegouvfr/react-dsfr';
import { ToggleSwitch } from '@codegouvfr/react-dsfr/ToggleSwitch';
import {
  getNotificationPreferences,
  setNotificationPreferences,
  type NotificationPreferences as Preferences,
} from '../api/notifications';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useApi } from '../ui/useApi';

type Notice = Preferences['items'][number]['notice'];

/** What each notice is, as the usager reads it. */
const LABELS: Record<Notice, string> = {
  'pieces-requested': 'Des pièces sont demandées pour un dossier',
  'piece-rejected': 'Une pièce déposée est à remplacer',
  'lapse-warning': 'La date limite pour envoyer des pièces approche',
  'case-lapsed': 'Un dossier a été clos faute de pièces',
  'decision-available': 'Une décision est disponible',
  'agent-message': 'Un agent de la MDPH vous a écrit',
  'case-changed': 'Un dossier a changé d’étape',
  'renewal-reminder': 'Un droit arrive à échéance : pensez au renouvellement',
};

/**
 * The mails the usager receives: those with a deadline or a legal effect always, the others as
 * chosen. A mail never says more than that something changed.
 */
export function NotificationPreferences() {
  const prefs = useApi(getNotificationPreferences);
  const { busy, error, status, run } = useAction();

  function change(notice: Notice, enabled: boolean) {
    void run(async () => {
      prefs.setData(await setNotificationPreferences({ [notice]: enabled }));
      return enabled
        ? `Vous recevrez un courriel : ${LABELS[notice].toLowerCase()}.`
        : `Vous ne recevrez plus de courriel : ${LABELS[notice].toLowerCase()}.`;
    });
  }

  const items = prefs.data?.items ?? [];
  return (
    <section aria-labelledby="cloison-notifications" className={fr.cx('fr-mt-6w')}>
      <h2 id="cloison-notifications" className={fr.cx('fr-h4')}>
        Courriels sur mes dossiers
      </h2>
      <p>
        Un courriel vous prévient quand un dossier que vous suivez évolue. Il ne dit jamais ce qui a
        changé : connectez-vous pour le lire.
      </p>
      <ProblemAlert error={prefs.error ?? error} />
      {items.length > 0 && (
        <>
          <h3 className={fr.cx('fr-h6')}>Toujours envoyés (délai ou effet sur vos droits)</h3>
          <ul>
            {items
              .filter((i) => i.mandatory)
              .map((i) => (
                <li key={i.notice}>{LABELS[i.notice]}</li>
              ))}
          </ul>
          <h3 className={fr.cx('fr-h6')}>À votre choix</h3>
          {items
            .filter((i) => !i.mandatory)
            .map((i) => (
              <ToggleSwitch
                key={i.notice}
                label={LABELS[i.notice]}
                checked={i.enabled}
                disabled={busy}
                onChange={(checked) => change(i.notice, checked)}
              />
            ))}
        </>
      )}
      <p role="status" className={fr.cx('fr-mt-1w')}>
        {status}
      </p>
    </section>
  );
}
