/** Integration tokens, each approved by a second admin (src/modules/integrations). */
import type { Static } from '@sinclair/typebox';
import type {
  TokenList,
  TokenView,
} from '../../../src/modules/integrations/integration-token.schemas';
import { api, url } from './client';

export type IntegrationToken = Static<typeof TokenView>;

/** The integration tokens of my département (never their secret). */
export const listIntegrationTokens = async () =>
  (await api.get<Static<typeof TokenList>>('/api/v1/integration-tokens')).items;

/** Approves a token another admin created. */
export const approveIntegrationToken = (tokenId: string) =>
  api.post<IntegrationToken>(url`/api/v1/integration-tokens/${tokenId}/approve`);
