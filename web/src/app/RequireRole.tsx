import { Navigate, Outlet, useLocation } from 'react-router';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { fr } from '@codegouvfr/react-dsfr';
import type { Me } from '../api/auth';
import { pendingPath, useSession } from '../session/session';
import { Loading } from '../ui/Loading';

/**
 * Shows its pages to signed-in people the predicate accepts; sends others to sign in. This is
 * convenience, not security: the API refuses whatever the person may not do, whatever the page.
 */
export function RequireRole({ allow }: { allow: (me: Me) => boolean }) {
  const { session } = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <Loading />;
  if (session.status === 'pending') return <Navigate to={pendingPath(session.next)} replace />;
  if (session.status === 'anonymous') {
    return (
      <Navigate
        to={`/connexion?suite=${encodeURIComponent(location.pathname + location.search)}`}
        replace
      />
    );
  }
  if (!allow(session.me)) {
    return (
      <div className={fr.cx('fr-container', 'fr-py-4w')}>
        <Alert
          severity="warning"
          title="Cette page n’est pas pour votre rôle"
          description="Votre compte ne donne pas accès à cet espace."
        />
      </div>
    );
  }
  return <Outlet />;
}

export const isUsager = (me: Me) => me.kind === 'usager';
export const isAgent = (me: Me) =>
  me.kind === 'staff' &&
  (me.role === 'accueil' ||
    me.role === 'instructeur' ||
    me.role === 'evaluateur' ||
    me.role === 'responsable' ||
    me.role === 'cdaph');
/** The console: admin and DPO, and the responsable for the access reviews of their agents. */
export const usesConsole = (me: Me) =>
  me.kind === 'staff' && (me.role === 'admin' || me.role === 'dpo' || me.role === 'responsable');
/** The platform's operator: départements and backups, nothing inside a département. */
export const isOperator = (me: Me) => me.kind === 'operateur';
export const isSignedIn = () => true;
