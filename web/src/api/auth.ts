/** Signing in and out, who I am, my password (src/modules/auth). */
import type { Static } from '@sinclair/typebox';
import type {
  ChangePasswordBody,
  LoginBody,
  LoginResult,
  Me as MeSchema,
} from '../../../src/modules/auth/auth.schemas';
import { api } from './client';

export type Me = Static<typeof MeSchema>;
/** What a session still owes after a first factor: nothing (`done`), to prove or enrol one. */
export type SecondFactorState = Static<typeof LoginResult>['next'];
export type SignInResult = Static<typeof LoginResult>;

/** The signed-in account; a 401 when there is none. */
export const getMe = () => api.get<Me>('/api/v1/me');

/** Opens a session with an e-mail and a password. */
export const logIn = (body: Static<typeof LoginBody>) =>
  api.post<SignInResult>('/api/v1/auth/login', body);

/** Closes the current session. */
export const logOut = () => api.post<void>('/api/v1/auth/logout');

/** Changes my password (the current one asked again); every other session ends. */
export const changePassword = (body: Static<typeof ChangePasswordBody>) =>
  api.post<void>('/api/v1/me/password', body);
