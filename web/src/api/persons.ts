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

/** Takes over a file the MDPH registered on paper: the code of its letter and my birth date. */
export const claimInvitation = (body: { code: string; birthDate: string }) =>
  api.post<PersonView>('/api/v1/invitations/claim', body);

export type PersonMatch = { id: string; firstName: string; lastName: string; birthDate: string };

/** Persons of my département with this NIR (POST: a NIR never goes into a URL). */
export const searchPersonsByNir = async (nir: string) =>
  (await api.post<{ items: PersonMatch[] }>('/api/v1/persons/search', { nir })).items;

/** Registers a person who has no account, to file a paper request for them (accueil). */
export const registerPerson = (body: {
  firstName: string;
  lastName: string;
  birthDate: string;
  nir?: string;
  address?: string;
}) => api.post<PersonMatch>('/api/v1/persons/registrations', body);

/** Invites a person registered on paper to take over their file: a code to print on a letter. */
export const invitePerson = (personId: string) =>
  api.post<{ id: string; code: string; expiresAt: string }>(
    `/api/v1/persons/${encodeURIComponent(personId)}/invitations`,
    { channel: 'letter' },
  );
