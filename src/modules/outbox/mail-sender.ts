import type { AppDeps } from '../../deps.js';
import type { OutboxRow } from './outbox.repository.js';
import { findRecipientAccount } from './outbox.repository.js';
import { openPayload } from './outbox-seal.js';
import { OutboxBounce, OutboxSkip } from './outbox-errors.js';

/** A permanent refusal of the recipient: an SMTP 5xx answer to RCPT TO. */
function isBounce(error: unknown): boolean {
  const e = error as { responseCode?: unknown; command?: unknown; code?: unknown } | null;
  if (!e || typeof e.responseCode !== 'number') return false;
  if (e.responseCode < 500 || e.responseCode > 599) return false;
  return e.command === 'RCPT TO' || e.code === 'EENVELOPE';
}

/**
 * Sends one queued mail: the address is the account's as it is now (a disabled account, unless
 * the mail is its activation link, gets nothing) or the sealed one; the body is opened only here.
 */
export async function sendQueuedMail(deps: AppDeps, row: OutboxRow): Promise<void> {
  if (!deps.mailer.available)
    throw Object.assign(new Error('no mailer'), { code: 'MAIL_UNAVAILABLE' });
  if (row.payload_enc === null) throw new OutboxSkip('NO_PAYLOAD');
  const payload = await openPayload(deps, deps.db, row.tenant_id, row.id, row.payload_enc);
  let to = payload.to;
  if (row.account_id !== null) {
    const account = await findRecipientAccount(deps.db, row.account_id);
    if (!account) throw new OutboxSkip('ACCOUNT_GONE');
    const activating = row.to_inactive === 1 && account.disabled_reason === 'awaiting-activation';
    if (account.status !== 'active' && !activating) throw new OutboxSkip('ACCOUNT_INACTIVE');
    to = account.email;
  }
  if (!to) throw new OutboxSkip('NO_RECIPIENT');
  try {
    await deps.mailer.send({ to, subject: payload.subject, text: payload.text });
  } catch (error) {
    if (isBounce(error)) {
      const code = (error as { responseCode: number }).responseCode;
      throw new OutboxBounce(`SMTP_${code}`);
    }
    throw error;
  }
}
