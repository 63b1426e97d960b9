import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Page } from './Page';

/** The public home: what Cloison is, and the two ways in. */
export function WelcomePage() {
  return (
    <Page
      title="Vos démarches auprès de la MDPH, en ligne"
      lead="Déposez une demande (AAH, PCH, carte mobilité inclusion, RQTH, AEEH, orientation), envoyez vos pièces justificatives, suivez l’avancement et recevez les décisions."
    >
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
        <li>
          <Button linkProps={{ to: '/connexion' }}>Se connecter</Button>
        </li>
        <li>
          <Button priority="secondary" linkProps={{ to: '/inscription' }}>
            Créer un compte
          </Button>
        </li>
      </ul>
      <h2 className={fr.cx('fr-h4', 'fr-mt-4w')}>Vos données sont protégées</h2>
      <ul>
        <li>
          Vos documents sont chiffrés ; seuls les agents chargés de votre dossier peuvent les lire.
        </li>
        <li>Les pièces médicales ne sont lues que par l’équipe médicale.</li>
        <li>Vous pouvez voir à tout moment qui a consulté votre dossier.</li>
      </ul>
    </Page>
  );
}
