import { isoDay } from '../../clock.js';
import type { AppDeps } from '../../deps.js';
import type { DbOrTx } from '../../db/database.js';
import { findPersonParties } from '../cases/case.repository.js';
import { enqueueMail, type OutboxDeps } from '../outbox/enqueue.js';
import { invitationMail, noticeMail } from './notice-mails.js';
import { isOptionalNotice, type CaseNotice } from './notices.js';
import {
  accountsWithNoticeOff,
  filterActiveAccounts,
  findCasePerson,
} from './notification.repository.js';

/** What notifying needs: the outbox's deps, the portal's address for the link. */
export type NotifyDeps = OutboxDeps & Pick<AppDeps, 'publicOrigin'>;

/** A notice about a case. */
export interface CaseNoticeRequest {
  readonly tenantId: string;
  readonly caseId: string;
  readonly notice: CaseNotice;
  /** An ISO day (2027-01-15) the mail may give: the pieces' deadline, the lapse, the expiry. */
  readonly deadline?: string;
}

/**
 * Tells the parties of a case that something changed, in the caller's transaction (the mails
 * exist if and only if the change commits): the account of the person the case is about, if
 * any and active, and every active account holding a verified mandate over that person valid
 * today; one mail each, read from accounts.email when it leaves. An optional notice
 * (agent-message, case-changed, renewal-reminder) skips the accounts that switched it off; a
 * mandatory one goes to all. The mail names nobody and says nothing of the case
 * (notice-mails.ts). A case of another tenant, or none, notifies nobody. Returns how many mails
 * were queued.
 */
export async function notifyCaseParties(
  trx: DbOrTx,
  deps: NotifyDeps,
  request: CaseNoticeRequest,
): Promise<number> {
  const { tenantId, caseId, notice, deadline } = request;
  const found = await findCasePerson(trx, tenantId, caseId);
  if (!found) return 0;
  const parties = await findPersonParties(trx, tenantId, found.person_id, isoDay(deps.clock.now()));
  const candidates = [
    ...new Set(
      [parties.subjectAccountId, ...parties.representativeAccountIds].filter(
        (id): id is string => id !== null,
      ),
    ),
  ];
  let recipients = await filterActiveAccounts(trx, tenantId, candidates);
  if (isOptionalNotice(notice)) {
    const off = await accountsWithNoticeOff(trx, recipients, notice);
    recipients = recipients.filter((id) => !off.has(id));
  }
  const mail = noticeMail(notice, deps.publicOrigin(), deadline);
  let queued = 0;
  for (const accountId of recipients.sort()) {
    const id = await enqueueMail(trx, deps, {
      tenantId,
      topic: notice,
      to: { accountId },
      subject: mail.subject,
      text: mail.text,
    });
    if (id) queued += 1;
  }
  return queued;
}

/**
 * Queues an invitation to the portal, in the caller's transaction, to an address an agent gave
 * for a person who has no account yet. `link` is the caller's (its token is a credential: it is
 * sealed in the outbox with the address and deleted once sent); `expiresOn` an ISO day the mail
 * may give. Returns the outbox id, or null when no mail can leave this instance.
 */
export function enqueueInvitationMail(
  trx: DbOrTx,
  deps: OutboxDeps,
  invitation: { tenantId: string; address: string; link: string; code: string; expiresOn?: string },
): Promise<string | null> {
  const mail = invitationMail(invitation.link, invitation.code, invitation.expiresOn);
  return enqueueMail(trx, deps, {
    tenantId: invitation.tenantId,
    topic: 'invitation',
    to: { address: invitation.address },
    subject: mail.subject,
    text: mail.text,
  });
}
