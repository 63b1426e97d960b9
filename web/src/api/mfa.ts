/** Second factors: proving one after the password, enrolling an app (src/modules/mfa). */
import type { Static } from '@sinclair/typebox';
import type {
  Factors,
  RecoveryCodes,
  TotpEnrollment as TotpEnrollmentSchema,
} from '../../../src/modules/mfa/mfa.schemas';
import { api } from './client';

export type SecondFactors = Static<typeof Factors>;
export type TotpEnrollment = Static<typeof TotpEnrollmentSchema>;

/** Proves the second factor with the code of the authenticator app. */
export const proveTotp = (code: string) =>
  api.post<void>('/api/v1/auth/second-factor/totp', { code });

/** Proves the second factor with one of the recovery codes (each works once). */
export const proveRecoveryCode = (code: string) =>
  // The answer (how many codes are left) is not read by this application.
  api.post<unknown>('/api/v1/auth/second-factor/recovery-code', { code });

/** My second factors as they stand. */
export const getSecondFactors = () => api.get<SecondFactors>('/api/v1/me/second-factors');

/** Starts enrolling an authenticator app: a new secret, once the password is given again. */
export const startTotpEnrollment = (currentPassword: string) =>
  api.post<TotpEnrollment>('/api/v1/me/second-factors/totp', { currentPassword });

/** Confirms the authenticator app with its first code; answers the recovery codes. */
export const confirmTotpEnrollment = (code: string) =>
  api.post<Static<typeof RecoveryCodes>>('/api/v1/me/second-factors/totp/confirm', { code });
