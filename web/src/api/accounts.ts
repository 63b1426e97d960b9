/** Offboarding, re-enabling, ending sessions, confirming a new address (src/modules/accounts). */
import type { Static } from '@sinclair/typebox';
import type { DisableOutcome as DisableOutcomeSchema } from '../../../src/modules/accounts/account.schemas';
import type { RequestReceipt } from '../../../src/modules/staff/staff.schemas';
import { api, url } from './client';

/** The answer of POST /api/v1/accounts/:id/disable: disabled now, or pending a second admin. */
export type DisableOutcome = Static<typeof DisableOutcomeSchema>;

/** Disables a staff account (at once for an agent, after a second admin for admin or DPO). */
export const disableAccount = (accountId: string) =>
  api.post<DisableOutcome>(url`/api/v1/accounts/${accountId}/disable`);

/** Asks for a disabled staff account to be re-enabled; another admin must approve. */
export const requestEnable = (accountId: string) =>
  api.post<Static<typeof RequestReceipt>>(url`/api/v1/accounts/${accountId}/enable`);

/** Ends every session of a staff account. */
export const endSessions = (accountId: string) =>
  api.del(url`/api/v1/accounts/${accountId}/sessions`);

/** Confirms a new sign-in address with the token mailed to it; every session then ends. */
export const confirmEmailChange = (token: string) =>
  api.post<void>('/api/v1/auth/email-change/confirm', { token });
