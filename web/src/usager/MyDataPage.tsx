import { fr } from '@codegouvfr/react-dsfr';
import { Download } from '@codegouvfr/react-dsfr/Download';
import { Link } from 'react-router';
import { MY_DATA_EXPORT_URL } from '../api/my-data';
import { Page } from '../app/Page';
import { useMe } from '../session/session';

/** `/mon-espace/mes-donnees`: what Cloison holds about me, and the download of all of it. */
export function MyDataPage() {
  const me = useMe();
  return (
    <Page
      title="Mes données"
      crumbs={[{ label: 'Mes demandes', to: '/mon-espace' }]}
      lead="Vous avez le droit de savoir ce que la MDPH conserve sur vous et d’en obtenir une copie (RGPD, articles 15 et 20)."
    >
      <h2>Ce que Cloison conserve</h2>
      <ul>
        <li>
          Votre compte : {me.displayName}, {me.email}, la date de création et de dernière connexion.
          Votre mot de passe n’est conservé que sous une forme qui ne permet pas de le retrouver.
        </li>
        <li>Votre identité et celle des personnes que vous représentez, avec les mandats.</li>
        <li>Vos demandes : droits demandés, situation décrite, décisions et leurs motifs.</li>
        <li>Vos messages échangés avec la MDPH.</li>
        <li>
          Vos pièces justificatives, chiffrées : le fichier d’export en donne la liste et le lien de
          téléchargement de chacune.
        </li>
        <li>
          La liste des consultations de vos dossiers par les agents (voir{' '}
          <Link to="/mon-espace/consultations" className={fr.cx('fr-link')}>
            qui a consulté mon dossier
          </Link>
          ).
        </li>
      </ul>
      <p>Ces données sont chiffrées ; seuls les agents chargés de vos dossiers peuvent les lire.</p>
      <h2>Télécharger une copie</h2>
      <Download
        label="Télécharger mes données"
        details="Fichier JSON, lisible par un tableur ou un autre service"
        linkProps={{ href: MY_DATA_EXPORT_URL, download: 'mes-donnees-cloison.json' }}
      />
    </Page>
  );
}
