/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that keeps what it receives, parsed with mailparser.
 * `reply` decides per message whether to accept it or answer with an SMTP error code.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly raw: string;
  readonly parsed: ParsedMail;
  readonly to: string[];
}

export type SmtpReply = { accept: true } | { accept: false; code: number; message: string };

export interface SmtpSink {
  readonly port: number;
  readonly url: string;
  readonly received: ReceivedMail[];
  /** Decides the answer to each message (default: accept). */
  reply: (to: string[]) => SmtpReply;
  /** Resolves once `count` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(port = 0, options: { delayMs?: number } = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const sink = {
    received,
    reply: (() => ({ accept: true })) as SmtpSink['reply'],
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        const answer = sink.reply(to);
        const finish = async (): Promise<void> => {
          if (!answer.accept) {
            const error = new Error(answer.message) as Error & { responseCode: number };
            error.responseCode = answer.code;
            return callback(error);
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push({ raw, parsed: await simpleParser(raw), to });
          callback();
          waiters.splice(0).forEach((w) => w());
        };
        setTimeout(() => void finish(), options.delayMs ?? 0);
      });
    },
  });
  // A client that dies mid-session (a killed worker) resets its socket: that is not the sink's failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    async waitFor(count: number, timeoutMs = 15_000): Promise<ReceivedMail[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
