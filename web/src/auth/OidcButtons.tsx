import { fr } from '@codegouvfr/react-dsfr';
import { listOidcProviders, oidcStartUrl } from '../api/federation';
import { useApi } from '../ui/useApi';

/** FranceConnect / ProConnect, when the département configured them. */
export function OidcButtons() {
  const { data } = useApi(listOidcProviders);
  const providers = data?.items ?? [];
  if (providers.length === 0) return null;
  return (
    <ul className={fr.cx('fr-btns-group', 'fr-mb-4w')}>
      {providers.map((p) => (
        <li key={p.name}>
          {/* A full navigation: the provider's page, then back to the API's callback. */}
          <a className={fr.cx('fr-btn', 'fr-btn--secondary')} href={oidcStartUrl(p.name)}>
            Se connecter avec {p.label}
          </a>
        </li>
      ))}
    </ul>
  );
}
