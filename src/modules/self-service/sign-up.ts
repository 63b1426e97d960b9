import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { ANONYMOUS } from '../../policy/actor.js';
import { dormancyCutoff, isDormant } from '../accounts/account-lifecycle.js';
import { findAccountByEmail } from '../auth/account.repository.js';
import { issueToken } from '../auth/one-time-tokens.js';
import { hashPassword } from '../auth/password.js';
import { passwordProblem } from '../auth/password-policy.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { queueAccountMail, signupAttemptMail, verificationMail } from './account-mails.js';
import { normaliseEmail } from './email-address.js';
import { takeMailAllowance } from './mail-throttle.js';
import { findTenantByCodeOrId, insertUsagerAccount } from './self-service.repository.js';

export interface SignUpInput {
  email: string;
  password: string;
  displayName: string;
  tenant: string;
}

/**
 * A usager signs up in a département. The account is created unverified: it cannot log in until
 * the link mailed to the address is opened. An address that already has an account gets, instead,
 * a notice with a password-reset link, and the caller the very same answer: sign-up does not tell
 * who has an account. Both branches hash the password and write in one transaction, so their
 * timing does not tell either.
 *
 * No person record is created here: the usager's own person (sealed name, birth date, NIR) is
 * declared once the address is verified, so unverified sign-ups hold no personal data.
 */
export async function signUp(
  deps: AppDeps,
  origin: RequestContext,
  input: SignUpInput,
): Promise<{ next: 'check-your-email' }> {
  const email = normaliseEmail(input.email);
  const displayName = input.displayName.trim();
  if (displayName === '') throw problems.validation('Indiquez votre nom.');
  // Départements are public; saying one is unknown discloses nothing about accounts.
  const tenant = await findTenantByCodeOrId(deps.db, input.tenant.trim());
  if (!tenant) throw problems.validation('Département inconnu : indiquez son numéro (ex. 44).');
  const reason = passwordProblem(input.password, { kind: 'usager', email, displayName });
  if (reason) throw problems.validation(reason);
  const passwordHash = await hashPassword(input.password);
  if (!deps.mailer.available) throw problems.mailUnavailable();

  const now = deps.clock.now();
  const cutoff = dormancyCutoff(deps);
  const newId = randomUUID();
  const site = deps.publicOrigin();
  // Looked up inside the transaction: two sign-ups racing on one address see each other.
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const existing = await findAccountByEmail(trx, email);
    const allowed = await takeMailAllowance(trx, email, now);
    if (!existing) {
      await insertUsagerAccount(
        trx,
        { id: newId, tenantId: tenant.id, email, displayName, passwordHash, emailVerifiedAt: null },
        now.toISOString(),
      );
      // A new address gets its verification mail whatever the count: it happens once.
      const token = await issueToken(deps, trx, newId, 'verify-email');
      await queueAccountMail(
        trx,
        deps,
        { id: newId, tenant_id: tenant.id },
        'verify-email',
        verificationMail(site, token),
      );
      return { accountId: newId, created: true, token };
    }
    const usable = existing.status === 'active' && !isDormant(existing, cutoff);
    const token =
      usable && allowed ? await issueToken(deps, trx, existing.id, 'reset-password') : null;
    if (token)
      await queueAccountMail(trx, deps, existing, 'signup-attempt', signupAttemptMail(site, token));
    return { accountId: existing.id, created: false, token };
  });

  await recordSecurityEvent(deps, origin, {
    kind: 'account.signup',
    actor: ANONYMOUS,
    objectType: 'account',
    objectId: outcome.accountId,
    detail: outcome.created
      ? { outcome: 'created', tenantId: tenant.id }
      : { outcome: 'existing-account', mailed: outcome.token !== null },
  });
  return { next: 'check-your-email' };
}
