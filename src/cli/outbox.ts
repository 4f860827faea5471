/** `rapport outbox list|show`: what was sent, is waiting, or failed; in capture mode, the captured messages. */
import { findCapturedMessage, listOutbox, type OutboxStatus } from '../mail/outbox-repository';
import { UsageError } from './accounts';
import { closeRuntime, openRuntime } from './runtime';

const STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'failed', 'cancelled'];
const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

export async function outboxList(args: { status?: string; limit?: string }): Promise<void> {
  if (args.status !== undefined && !STATUSES.includes(args.status as OutboxStatus)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  const limit = args.limit === undefined ? 50 : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be a whole number from 1 to 10000');
  const rt = openRuntime();
  try {
    const entries = await listOutbox(rt.readDb, { status: args.status as OutboxStatus | undefined, limit });
    if (entries.length === 0) return void console.log('The outbox is empty.');
    console.log(['id', 'status', 'attempts', 'due', 'sent', 'captured', 'last error'].join('\t'));
    for (const e of entries) console.log([e.id, e.status, e.attempts, when(e.dueAt), when(e.sentAt), e.captured ? 'yes' : 'no', e.lastError ?? '-'].join('\t'));
    if (entries.some((e) => e.captured)) console.log('\nShow a captured message with: npx rapport outbox show ID');
  } finally {
    await closeRuntime(rt);
  }
}

export async function outboxShow(id: string | undefined): Promise<void> {
  if (!id) throw new UsageError('outbox show ID');
  const rt = openRuntime();
  try {
    const message = await findCapturedMessage(rt.readDb, id);
    if (message === null) throw new UsageError(`no outbox message with id ${id}`);
    console.log(`Status: ${message.status} · attempts: ${message.attempts} · sent: ${when(message.sentAt)}`);
    if (message.text === null) return void console.log('This message was sent through SMTP; its content is not kept.');
    console.log(`Subject: ${message.subject ?? ''}\n\n${message.text}`);
  } finally {
    await closeRuntime(rt);
  }
}
