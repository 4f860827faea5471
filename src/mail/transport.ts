/**
 * Where emails go: a pooled nodemailer SMTP transport, or, without SMTP_URL, capture mode, where
 * nothing leaves the machine and the outbox row keeps the rendered message for the Outbox page.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export interface OutgoingEmail {
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Stable per survey, so servers can drop a resend after a crash. */
  readonly messageId: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface MailTransport {
  /** true: the message is kept in the outbox row instead of being sent. */
  readonly captures: boolean;
  /** Resolves once the mail server accepted the message; rejects with nodemailer's error. */
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

export function captureTransport(): MailTransport {
  return { captures: true, send: async () => undefined, close: () => undefined };
}

export function smtpTransport(url: string): MailTransport {
  const options: SMTPPool.Options = {
    url,
    pool: true,
    maxConnections: 5,
    // Reconnecting every 100 messages costs ~40 % of throughput (PERF-BASELINES); keep connections.
    maxMessages: Infinity,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
  const transporter: Transporter = nodemailer.createTransport(options);
  return {
    captures: false,
    send: async (email) => {
      await transporter.sendMail({
        to: email.to,
        from: email.from,
        subject: email.subject,
        html: email.html,
        text: email.text,
        messageId: email.messageId,
        headers: { ...email.headers },
      });
    },
    close: () => transporter.close(),
  };
}
