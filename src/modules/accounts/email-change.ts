import type { RequestContext, SessionContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { reauthenticateActor } from '../auth/reauthenticate.js';
import { issueToken, redeemToken } from '../auth/one-time-tokens.js';
import { findAccountById, findAccountIdByEmail } from '../auth/account.repository.js';
import { genericMailboxProblem } from '../staff/personal-identity.js';
import { normaliseEmail } from '../self-service/email-address.js';
import { endSessionsAndTokens } from './account-credentials.js';
import {
  applyPendingEmail,
  findAccountClaimingAddress,
  setPendingEmail,
} from './email-change.repository.js';
import { tokenLink } from '../self-service/account-mails.js';
import { enqueueMail } from '../outbox/enqueue.js';

/**
 * Step 1: the signed-in person asks for a new address, with their password (a session left open
 * is not enough). A link goes to the new address; nothing changes until it is opened. The answer
 * is the same whether or not the address is taken, so this cannot probe who has an account;
 * when it is taken, no link is sent.
 */
export async function requestEmailChange(
  deps: AppDeps,
  origin: SessionContext,
  actor: Actor,
  currentPassword: string,
  typedEmail: string,
): Promise<void> {
  const account = await reauthenticateActor(deps, origin, actor, currentPassword);
  if (!deps.mailer.available) throw problems.mailUnavailable();
  const email = normaliseEmail(typedEmail);
  if (account.kind === 'staff') {
    const generic = genericMailboxProblem(email);
    if (generic) throw problems.validation(generic);
  }
  if (email === account.email) return;
  const taken = await findAccountClaimingAddress(deps.db, email);
  const site = deps.publicOrigin();
  await deps.db.transaction().execute(async (trx) => {
    await setPendingEmail(trx, account.id, taken ? null : email);
    if (taken) return;
    const token = await issueToken(deps, trx, account.id, 'change-email');
    // To the new address, which is not the account's yet: sealed in the row with the link.
    await enqueueMail(trx, deps, {
      tenantId: account.tenant_id,
      topic: 'change-email',
      to: { address: email },
      subject: 'Cloison : confirmez votre nouvelle adresse',
      text:
        'Bonjour,\n\nPour que cette adresse devienne celle de votre compte Cloison, ouvrez ce lien ' +
        `dans les 24 heures :\n\n${tokenLink(site, '/confirmer-adresse', token)}\n\n` +
        'Si vous n’avez rien demandé, ignorez ce message : rien ne change.\n',
    });
  });
  await recordSecurityEvent(deps, origin, {
    kind: 'account.email-change-requested',
    actor,
    objectType: 'account',
    objectId: account.id,
  });
}

/**
 * Step 2: the link is opened. The address changes if it is still free; every session and token
 * of the account ends (a credential changed), and the old address is told, so a hijacked
 * session that changed it does not go unnoticed.
 */
export async function confirmEmailChange(
  deps: AppDeps,
  origin: RequestContext,
  token: string,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  const changed = await deps.db.transaction().execute(async (trx) => {
    const accountId = await redeemToken(deps, trx, token, 'change-email');
    if (!accountId) return null;
    const account = await findAccountById(trx, accountId);
    if (!account?.pending_email || account.status !== 'active') return null;
    if (await findAccountIdByEmail(trx, account.pending_email)) return null;
    await applyPendingEmail(trx, account.id, account.pending_email, now);
    await endSessionsAndTokens(trx, [account.id], now);
    // To the old address, no longer the account's: a hijacker who changed it cannot hide this.
    await enqueueMail(trx, deps, {
      tenantId: account.tenant_id,
      topic: 'email-changed',
      to: { address: account.email },
      subject: 'Cloison : l’adresse de votre compte a changé',
      text:
        'Bonjour,\n\nL’adresse de connexion de votre compte Cloison vient d’être remplacée. ' +
        'Si ce n’est pas vous, contactez sans attendre votre MDPH.\n',
    });
    return { account, newEmail: account.pending_email };
  });
  if (!changed) {
    await recordSecurityEvent(deps, origin, {
      kind: 'token.rejected',
      actor: { kind: 'anonymous' },
      detail: { purpose: 'change-email' },
    });
    throw problems.invalidToken();
  }
  await recordSecurityEvent(deps, origin, {
    kind: 'account.email-changed',
    actor: { kind: 'anonymous' },
    objectType: 'account',
    objectId: changed.account.id,
  });
}
