import path from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { isLoopbackHost, type Config } from '../config.js';
import { writeFileAtomic } from '../storage/atomic-file.js';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/**
 * Outgoing e-mail, one message at a time: the transport the outbox worker sends through
 * (src/modules/outbox). Nothing calls it on a request's path: mails are queued in the outbox, in
 * the transaction of the change they announce.
 */
export interface Mailer {
  /** False when no SMTP server is configured outside demo mode: nothing can be sent. */
  readonly available: boolean;
  /** Sends now; throws nodemailer's error (its code and responseCode say why). */
  send(mail: OutgoingMail): Promise<void>;
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
      // A relay that accepts and stalls must not hold an outbox row past its lease.
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 25_000,
    });
  } else if (options.demo) {
    outbox = path.join(config.dataDir, 'demo-outbox');
  }

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
    async close() {
      transport?.close();
    },
  };
}
