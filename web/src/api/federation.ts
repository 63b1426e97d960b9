/** FranceConnect and ProConnect (src/modules/federation). */
import type { Static } from '@sinclair/typebox';
import type { ProviderList } from '../../../src/modules/federation/federation.schemas';
import { api, url } from './client';

/** The identity providers the département configured. */
export const listOidcProviders = () =>
  api.get<Static<typeof ProviderList>>('/api/v1/auth/oidc/providers');

/** Where a full navigation starts signing in with a provider (its page, then the callback). */
export const oidcStartUrl = (provider: string) => url`/api/v1/auth/oidc/${provider}/start`;
