import { fr } from '@codegouvfr/react-dsfr';
import { api } from '../api/client';
import { useApi } from '../ui/useApi';

interface Provider {
  name: string;
  label: string;
}

/** FranceConnect / ProConnect, when the département configured them (GET /auth/oidc/providers). */
export function OidcButtons() {
  const { data } = useApi(() => api.get<{ items: Provider[] }>('/api/v1/auth/oidc/providers'));
  const providers = data?.items ?? [];
  if (providers.length === 0) return null;
  return (
    <ul className={fr.cx('fr-btns-group', 'fr-mb-4w')}>
      {providers.map((p) => (
        <li key={p.name}>
          {/* A full navigation: the provider's page, then back to the API's callback. */}
          <a
            className={fr.cx('fr-btn', 'fr-btn--secondary')}
            href={`/api/v1/auth/oidc/${encodeURIComponent(p.name)}/start`}
          >
            Se connecter avec {p.label}
          </a>
        </li>
      ))}
    </ul>
  );
}
