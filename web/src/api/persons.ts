/** Myself and the persons I represent (src/modules/persons). */
import type { Static } from '@sinclair/typebox';
import type {
  DeclareSelfBody,
  PersonView as PersonViewSchema,
} from '../../../src/modules/persons/person.schemas';
import { api } from './client';

export type PersonView = Static<typeof PersonViewSchema>;
export type MandateKind = NonNullable<PersonView['mandate']>['kind'];

/** Myself and the persons I represent, with their mandates. */
export const listPersons = async () =>
  (await api.get<{ items: PersonView[] }>('/api/v1/persons')).items;

/** Declares my own identity, once, after sign-up. */
export const declareSelf = (body: Static<typeof DeclareSelfBody>) =>
  api.post<PersonView>('/api/v1/persons/self', body);
