/**
 * Run-time settings as JSON values under string keys: survey policy, questions and branding overrides,
 * and the first-run setup token's hash.
 */
import type { Db } from '../db/knex';
import type { Clock } from '../clock';

export async function readSettings(db: Db, keys: readonly string[]): Promise<Map<string, unknown>> {
  const rows = (await db('settings').whereIn('key', keys).select('key', 'value')) as { key: string; value: string }[];
  return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

export async function writeSetting(db: Db, clock: Clock, key: string, value: unknown): Promise<void> {
  await db('settings')
    .insert({ key, value: JSON.stringify(value), updated_at: clock() })
    .onConflict('key')
    .merge(['value', 'updated_at']);
}


/** Removes an override, so the setting falls back to its default. */
export async function clearSetting(db: Db, key: string): Promise<void> {
  await db('settings').where({ key }).delete();
}
