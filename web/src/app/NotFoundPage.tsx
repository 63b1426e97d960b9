import { Button } from '@codegouvfr/react-dsfr/Button';
import { Page } from './Page';

export function NotFoundPage() {
  return (
    <Page
      title="Page non trouvée"
      lead="La page que vous cherchez n’existe pas ou n’est pas accessible avec votre compte."
    >
      <Button linkProps={{ to: '/' }}>Retour à l’accueil</Button>
    </Page>
  );
}
