import { Outlet, useLocation, useNavigate } from 'react-router';
import { Header } from '@codegouvfr/react-dsfr/Header';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { fr } from '@codegouvfr/react-dsfr';
import { homeOf, useSession } from '../session/session';
import { navigationFor } from './navigation';
import { roleLabel } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';

/** The frame of every page: skip links, État header with the person's navigation, footer. */
export function Layout() {
  const { session, logout } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const me = session.status === 'signed-in' ? session.me : null;
  const items = me ? navigationFor(me) : [];
  // The entry whose path is the longest prefix of the page's: /mon-espace/dossiers/x is under
  // « Mes demandes », /mon-espace/nouvelle-demande under its own entry.
  const active = items
    .filter((i) => location.pathname === i.to || location.pathname.startsWith(`${i.to}/`))
    .sort((a, b) => b.to.length - a.to.length)[0];
  const logoutAction = useAction();
  const who = me ? `${me.displayName}${me.role ? ` (${roleLabel(me.role)})` : ''}` : null;

  return (
    <>
      <SkipLinks
        links={[
          { anchor: '#contenu', label: 'Contenu' },
          ...(items.length ? [{ anchor: '#navigation-principale', label: 'Menu' }] : []),
          { anchor: '#pied-de-page', label: 'Pied de page' },
        ]}
      />
      <Header
        brandTop={
          <>
            République
            <br />
            Française
          </>
        }
        serviceTitle="Cloison"
        serviceTagline="Le portail de votre maison départementale des personnes handicapées"
        homeLinkProps={{ to: me ? homeOf(me) : '/', title: 'Accueil — Cloison' }}
        quickAccessItems={
          me
            ? [
                {
                  iconId: 'fr-icon-account-circle-line',
                  linkProps: { to: '/compte' },
                  text: who ?? 'Mon compte',
                },
                {
                  iconId: 'fr-icon-logout-box-r-line',
                  buttonProps: {
                    type: 'button',
                    onClick: () =>
                      void logoutAction.run(async () => {
                        await logout();
                        navigate('/connexion');
                      }),
                  },
                  text: 'Se déconnecter',
                },
              ]
            : [
                {
                  iconId: 'fr-icon-lock-line',
                  linkProps: { to: '/connexion' },
                  text: 'Se connecter',
                },
                {
                  iconId: 'fr-icon-account-line',
                  linkProps: { to: '/inscription' },
                  text: 'Créer un compte',
                },
              ]
        }
        navigation={items.map((item) => ({
          text: item.text,
          linkProps: { to: item.to },
          isActive: item === active,
        }))}
      />
      <main id="contenu" className="cloison-main" tabIndex={-1}>
        {logoutAction.error !== null && (
          <div className={fr.cx('fr-container')}>
            <ProblemAlert
              error={logoutAction.error}
              title="La déconnexion n’a pas abouti : vous êtes toujours connecté"
            />
          </div>
        )}
        <Outlet />
      </main>
      <Footer
        id="pied-de-page"
        accessibility="partially compliant"
        accessibilityLinkProps={{ to: '/accessibilite' }}
        contentDescription="Cloison est le portail de votre MDPH : vos demandes, vos pièces justificatives, les décisions et la liste de qui a consulté votre dossier. Vos documents sont chiffrés ; seuls les agents chargés de votre dossier peuvent les lire."
        termsLinkProps={{ to: '/mentions-legales' }}
        websiteMapLinkProps={{ to: '/plan-du-site' }}
        bottomItems={[
          { text: 'Données personnelles', linkProps: { to: '/donnees-personnelles' } },
          { text: 'Conservation des données', linkProps: { to: '/conservation-des-donnees' } },
        ]}
        // No links to other sites (the DSFR's defaults: gouvernement.fr, legifrance…), and the
        // licence Cloison is published under.
        domains={[]}
        license={<>Cloison est un logiciel libre publié sous licence EUPL 1.2.</>}
        className={fr.cx('fr-mt-8w')}
      />
    </>
  );
}
