/** A usager's account: sign-up, address check, password reset (src/modules/self-service). */
import type { Static } from '@sinclair/typebox';
import type {
  CheckYourEmail,
  ResetConfirmBody,
  SignUpBody,
} from '../../../src/modules/self-service/self-service.schemas';
import { api } from './client';

/** Creates a usager account; the same answer whatever the address. */
export const signUp = (body: Static<typeof SignUpBody>) =>
  api.post<Static<typeof CheckYourEmail>>('/api/v1/auth/signup', body);

/** Confirms the address of a new account with the mailed token. */
export const verifyEmail = (token: string) =>
  api.post<void>('/api/v1/auth/verify-email', { token });

/** Asks for a password reset link; the same answer whatever the address. */
export const requestPasswordReset = (email: string) =>
  api.post<Static<typeof CheckYourEmail>>('/api/v1/auth/password-reset', { email });

/** Sets a new password with the mailed token; every session then ends. */
export const confirmPasswordReset = (body: Static<typeof ResetConfirmBody>) =>
  api.post<void>('/api/v1/auth/password-reset/confirm', body);
