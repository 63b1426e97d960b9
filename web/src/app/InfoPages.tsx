import { Link, type RouteObject } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Page } from './Page';
import { RetentionPage } from './RetentionPage';

function Accessibility() {
  return (
    <Page title="Déclaration d’accessibilité">
      <p>
        Cloison s’engage à rendre son service accessible conformément à l’article 47 de la loi n°
        2005-102 du 11 février 2005. Cette déclaration s’applique au portail Cloison.
      </p>
      <h2 className={fr.cx('fr-h4')}>État de conformité</h2>
      <p>
        Cloison est <strong>partiellement conforme</strong> avec le référentiel général
        d’amélioration de l’accessibilité (RGAA), version 4.1 : aucun audit externe n’a encore été
        réalisé. Chaque page des parcours principaux est contrôlée automatiquement (axe-core) à
        chaque modification, et un parcours complet est vérifié au clavier seul.
      </p>
      <h2 className={fr.cx('fr-h4')}>Retour d’information et contact</h2>
      <p>
        Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez votre MDPH pour être
        orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.
      </p>
      <h2 className={fr.cx('fr-h4')}>Voies de recours</h2>
      <p>
        Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu ou à une
        fonctionnalité, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse,
        vous pouvez écrire au Défenseur des droits ou contacter son délégué dans votre région.
      </p>
    </Page>
  );
}

function LegalNotice() {
  return (
    <Page title="Mentions légales">
      <p>
        Ce portail est édité par la maison départementale des personnes handicapées (MDPH) de votre
        département, qui en est responsable de traitement. Il est hébergé par l’opérateur désigné
        par le département.
      </p>
      <p>Cloison est un logiciel libre publié sous licence EUPL 1.2.</p>
    </Page>
  );
}

function PersonalData() {
  return (
    <Page title="Données personnelles">
      <p>
        Vos données sont traitées par la MDPH pour instruire vos demandes de droits et de
        prestations (code de l’action sociale et des familles). Seuls les agents chargés de votre
        dossier y accèdent ; les documents médicaux ne sont lus que par l’équipe médicale.
      </p>
      <ul>
        <li>Vos documents, messages et données de santé sont chiffrés.</li>
        <li>
          Chaque consultation de votre dossier est enregistrée : vous pouvez voir qui l’a consulté.
        </li>
        <li>Vous pouvez télécharger vos données depuis « Mes données ».</li>
        <li>
          Combien de temps chaque donnée est conservée, et pourquoi :{' '}
          <Link className={fr.cx('fr-link')} to="/conservation-des-donnees">
            conservation des données
          </Link>
          .
        </li>
        <li>
          Pour exercer vos droits (accès, rectification, effacement, limitation), contactez le
          délégué à la protection des données de votre MDPH.
        </li>
      </ul>
      <p>
        Ce site ne dépose aucun cookie de mesure d’audience : seul un cookie de session,
        indispensable à la connexion, est utilisé.
      </p>
    </Page>
  );
}

function SiteMap() {
  return (
    <Page title="Plan du site">
      <ul>
        <li>
          <Link className={fr.cx('fr-link')} to="/">
            Accueil
          </Link>
        </li>
        <li>
          <Link className={fr.cx('fr-link')} to="/connexion">
            Se connecter
          </Link>
        </li>
        <li>
          <Link className={fr.cx('fr-link')} to="/inscription">
            Créer un compte
          </Link>
        </li>
        <li>
          <Link className={fr.cx('fr-link')} to="/mon-espace">
            Mon espace (usagers)
          </Link>
        </li>
        <li>
          <Link className={fr.cx('fr-link')} to="/instruction">
            Instruction des dossiers (agents)
          </Link>
        </li>
        <li>
          <Link className={fr.cx('fr-link')} to="/administration">
            Administration et protection des données
          </Link>
        </li>
        <li>
          <Link className={fr.cx('fr-link')} to="/accessibilite">
            Déclaration d’accessibilité
          </Link>
        </li>
        <li>
          <Link className={fr.cx('fr-link')} to="/donnees-personnelles">
            Données personnelles
          </Link>
        </li>
        <li>
          <Link className={fr.cx('fr-link')} to="/conservation-des-donnees">
            Conservation des données
          </Link>
        </li>
        <li>
          <Link className={fr.cx('fr-link')} to="/mentions-legales">
            Mentions légales
          </Link>
        </li>
      </ul>
    </Page>
  );
}

export const infoRoutes: RouteObject[] = [
  { path: '/accessibilite', element: <Accessibility /> },
  { path: '/mentions-legales', element: <LegalNotice /> },
  { path: '/donnees-personnelles', element: <PersonalData /> },
  { path: '/conservation-des-donnees', element: <RetentionPage /> },
  { path: '/conservation-des-donnees/:code', element: <RetentionPage /> },
  { path: '/plan-du-site', element: <SiteMap /> },
];
