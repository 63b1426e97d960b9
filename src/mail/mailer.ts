import path from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { isLoopbackHost, type Config } from '../config.js';
import { writeFileAtomic } from '../storage/atomic-file.js';
import { mailQueueDepth } from '../metrics/metrics.js';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/**
 * Outgoing e-mail. `deliverLater` answers at once and sends in the background: a route that
 * mails only known addresses (reset, sign-up) must not take longer for them than for unknown
 * ones. A mail lost to a crash is asked for again by its user; its content (a one-time link)
 * is never stored.
 */
export interface Mailer {
  /** False when no SMTP server is configured outside demo mode: nothing can be sent. */
  readonly available: boolean;
  send(mail: OutgoingMail): Promise<void>;
  deliverLater(mail: OutgoingMail): void;
  /** Resolves when every background delivery has finished (shutdown, tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Log {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** SMTP when configured; in demo mode without it, .eml files in <dataDir>/demo-outbox. */
export function openMailer(config: Config, options: { demo: boolean; log: Log }): Mailer {
  const { log } = options;
  let transport: Transporter | null = null;
  let outbox: string | null = null;
  if (config.smtpUrl) {
    const url = new URL(config.smtpUrl);
    transport = nodemailer.createTransport({
      url: config.smtpUrl,
      // Plain smtp:// must upgrade with STARTTLS unless the relay is on this machine.
      requireTLS: url.protocol === 'smtp:' && !isLoopbackHost(url.hostname),
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  } else if (options.demo) {
    outbox = path.join(config.dataDir, 'demo-outbox');
  }
  const pending = new Set<Promise<void>>();

  const send = async (mail: OutgoingMail): Promise<void> => {
    const message = { from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text };
    if (transport) {
      await transport.sendMail(message);
      return;
    }
    if (outbox) {
      const built = await nodemailer
        .createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
        .sendMail(message);
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`;
      writeFileAtomic(path.join(outbox, name), (built.message as Buffer).toString('utf8'));
      // The file name, never the recipient or the content: logs carry no one-time link.
      log.info({ file: name }, 'demo mode: e-mail written to demo-outbox');
      return;
    }
    throw new Error('no SMTP server configured (CLOISON_SMTP_URL)');
  };

  return {
    available: transport !== null || outbox !== null,
    send,
    deliverLater(mail) {
      const p = send(mail)
        .catch((err: unknown) => {
          // The code only: an SMTP reply may quote the recipient's address.
          const e = err as { code?: unknown; responseCode?: unknown };
          log.error(
            { code: e.code ?? null, responseCode: e.responseCode ?? null },
            'e-mail not sent',
          );
        })
        .finally(() => {
          pending.delete(p);
          mailQueueDepth.dec();
        });
      pending.add(p);
      mailQueueDepth.inc();
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async close() {
      while (pending.size > 0) await Promise.all([...pending]);
      transport?.close();
    },
  };
}
