import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { UsageError } from '../../src/cli/accounts';
import { runDemo } from '../../src/cli/demo';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/database';

/** Runs the command with console.log captured; returns the printed lines. */
async function captured(ctx: TestContext, run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const log = ctx.mock.method(console, 'log', (...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    await run();
  } finally {
    log.mock.restore();
  }
  return lines;
}

describe('rapport demo arguments', () => {
  // Never reached when validation works: a bad argument must fail before any database is opened.
  const unreachable = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

  it('rejects options that are not whole numbers in range, naming the option', async () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ interactions: '0' }, /--interactions/],
      [{ interactions: '5000001' }, /--interactions must be a whole number from 1 to 5,000,000/],
      [{ interactions: '12abc' }, /--interactions/],
      [{ interactions: '1.5' }, /--interactions/],
      [{ interactions: '-3' }, /--interactions/],
      [{ interactions: '' }, /--interactions/],
      [{ days: '0' }, /--days must be a whole number from 1 to 3,650/],
      [{ days: '3651' }, /--days/],
      [{ seed: 'x' }, /--seed/],
      [{ seed: '99999999999' }, /--seed/],
    ];
    for (const [args, message] of bad) {
      await assert.rejects(runDemo(args, unreachable), (error: unknown) => error instanceof UsageError && message.test(error.message), JSON.stringify(args));
    }
  });
});

for (const engine of ENGINES) {
  describe(`rapport demo (${engine})`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(engine, { migrate: false });
    });
    after(async () => t.cleanup());
    const env = (): Record<string, string> => ({ ...t.env, LOG_LEVEL: 'silent' });

    it('migrates the database, loads the demo, rebuilds the KPI rollups and prints progress and a summary', async (ctx) => {
      const lines = await captured(ctx, () => runDemo({ interactions: '1200', days: '10', seed: '3' }, env()));
      assert.match(lines[0] ?? '', /1,200 interactions over 10 days \(seed 3/);
      assert.ok(lines.some((l) => /1,200 \/ 1,200 interactions \(100%\)/.test(l)), lines.join('\n'));
      assert.match(lines.at(-1) ?? '', /^KPI rollups rebuilt: [\d,]+ rows\.$/);
      const summary = lines.at(-2) ?? '';
      assert.match(summary, /^Loaded 1,200 interactions, [\d,]+ surveys sent, [\d,]+ responses \([\d,]+ customers, 8 agents in 4 teams\) in \d+\.\d s\.$/);
      const stored = (await t.db('interactions').where({ source: 'demo' }).count({ n: '*' }).first()) as { n: number | string };
      assert.equal(Number(stored.n), 1200);
      const sent = Number(/, ([\d,]+) surveys sent/.exec(summary)?.[1]?.replace(/,/g, ''));
      const outbox = (await t.db('outbox_messages').count({ n: '*' }).first()) as { n: number | string };
      assert.equal(Number(outbox.n), sent);
    });

    it('refuses to load the same seed again with a one-line message', async (ctx) => {
      let failure: unknown;
      await captured(ctx, () => runDemo({ interactions: '50', days: '2', seed: '3' }, env()).catch((error: unknown) => void (failure = error)));
      assert.ok(failure instanceof UsageError);
      assert.equal(failure.message, 'demo data for seed 3 is already loaded; choose another --seed');
    });

    it('uses seed 1 by default and loads it beside other seeds', async (ctx) => {
      await captured(ctx, () => runDemo({ interactions: '40', days: '1' }, env()));
      const rows = (await t.db('interactions').where({ source: 'demo', external_id: 'demo-1-1' }).count({ n: '*' }).first()) as { n: number | string };
      assert.equal(Number(rows.n), 1);
      const customers = (await t.db('customers').where('email', 'like', 'customer%@example.com').whereNot('email', 'like', '%+s%').count({ n: '*' }).first()) as { n: number | string };
      assert.ok(Number(customers.n) > 0);
    });
  });
}
