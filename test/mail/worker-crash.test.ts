import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ENGINES } from '../support/database';
import { postTrigger, startTestApp } from '../support/app';
import { startSmtpSink } from '../support/smtp';
import { buildTrigger } from '../support/triggers';

const MAIN = path.resolve(__dirname, '../../src/cli/main.ts');

for (const engine of ENGINES) {
  describe(`a worker killed mid-batch (${engine})`, () => {
    it('loses no email: the next worker takes over the dead one’s claims and delivers every one', async () => {
      // A slow mail server, so the kill lands while sends are in flight.
      const smtp = await startSmtpSink(0, { delayMs: 40 });
      const t = await startTestApp(engine, { SMTP_URL: smtp.url, SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0' });
      const startWorker = () =>
        spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker'], {
          env: { PATH: process.env.PATH, ...t.database.env, SMTP_URL: smtp.url, LOG_LEVEL: 'warn', SURVEY_THROTTLE_DAYS: '0' },
          stdio: 'ignore',
        });
      try {
        const total = 120;
        for (let i = 0; i < total; i += 40) {
          await Promise.all(
            Array.from({ length: 40 }, () =>
              postTrigger(t, buildTrigger()),
            ),
          );
        }
        const first = startWorker();
        await smtp.waitFor(10, 30_000);
        first.kill('SIGKILL');
        await new Promise((resolve) => first.once('exit', resolve));
        const claimed = await t.db('outbox_messages').where({ status: 'sending' }).count({ n: '*' }).first();
        assert.ok(Number((claimed as { n: number }).n) > 0, 'the dead worker left claims behind');
        // Its leases would run out within 30 s; let that time pass.
        await t.db('outbox_messages').where({ status: 'sending' }).update({ lease_expires_at: Date.now() - 1 });

        const second = startWorker();
        try {
          const expected = new Set(((await t.db('outbox_messages').select('message_id')) as { message_id: string }[]).map((r) => r.message_id));
          const deadline = Date.now() + 60_000;
          while (new Set(smtp.received.map((m) => m.parsed.messageId)).size < expected.size && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 200));
          }
          const delivered = new Set(smtp.received.map((m) => m.parsed.messageId));
          assert.deepEqual([...expected].filter((id) => !delivered.has(id)), []);
          // A resend after the crash carries the same Message-ID, so the mail server can drop it.
          assert.ok(smtp.received.every((m) => expected.has(m.parsed.messageId as string)));
          const deadline2 = Date.now() + 10_000;
          let sent = 0;
          while (Date.now() < deadline2) {
            sent = Number(((await t.db('outbox_messages').where({ status: 'sent' }).count({ n: '*' }).first()) as { n: number }).n);
            if (sent === total) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          assert.equal(sent, total);
        } finally {
          second.kill('SIGTERM');
          await new Promise((resolve) => second.once('exit', resolve));
        }
      } finally {
        await t.close();
        await smtp.close();
      }
    });
  });
}
