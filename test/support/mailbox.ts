import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP receiver on 127.0.0.1 (smtp-server), for the server under test to send to over
 * its configured CLOISON_SMTP_URL. Messages are parsed with mailparser, as a mail client would.
 */
export interface Mailbox {
  /** smtp://127.0.0.1:<port>, to give the server as CLOISON_SMTP_URL. */
  readonly url: string;
  readonly messages: ReceivedMail[];
  /** The first mail to `to` after `since` messages (default: any), waiting up to 10 s. */
  waitFor(to: string, options?: { since?: number; timeoutMs?: number }): Promise<ReceivedMail>;
  /** Every mail addressed to `to` so far. */
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

export interface MailboxOptions {
  /** Listen on this port (a server configured before the mailbox was up); any free one if unset. */
  readonly port?: number;
  /** Recipients refused for good: 550 to their RCPT TO, as a server that knows no such mailbox. */
  readonly refuse?: readonly string[];
}

export async function startMailbox(options: MailboxOptions = {}): Promise<Mailbox> {
  const refused = new Set((options.refuse ?? []).map((a) => a.toLowerCase()));
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      } else callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          for (const w of waiters) w();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  const matching = (address: string, since: number) =>
    messages.slice(since).find((m) => m.to.includes(address.toLowerCase()));

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((m) => m.to.includes(address.toLowerCase())),
    waitFor(to, options = {}) {
      const since = options.since ?? 0;
      const found = matching(to, since);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail to ${to} within ${options.timeoutMs ?? 10_000} ms`));
        }, options.timeoutMs ?? 10_000);
        const check = () => {
          const m = matching(to, since);
          if (m) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(m);
          }
        };
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
