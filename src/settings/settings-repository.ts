/**
 * Run-time settings as JSON values under string keys: survey policy overrides, branding,
 * and secrets generated once (session secret, setup token hash).
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/knex';
import type { Clock } from '../clock';

export async function readSetting(db: Db, key: string): Promise<unknown> {
  const row = (await db('settings').where({ key }).first('value')) as { value: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
}

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

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db('settings').where({ key }).delete();
}

/**
 * Returns the secret stored under `key`, creating a random one on first use. Several processes may
 * race here: the insert is ignored on conflict and everyone reads back the winner.
 */
export async function ensureSecret(db: Db, clock: Clock, key: string): Promise<string> {
  await db('settings')
    .insert({ key, value: JSON.stringify(randomBytes(32).toString('base64url')), updated_at: clock() })
    .onConflict('key')
    .ignore();
  const value = await readSetting(db, key);
  if (typeof value !== 'string') throw new Error(`setting ${key} is not a secret string`);
  return value;
}
