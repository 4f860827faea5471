/**
 * Integration API keys: `rk_` + 256 random bits. Only the SHA-256 hash and a short prefix (to tell keys
 * apart in lists) are stored. A revoked key fails authentication on its next request.
 */
import { randomUUID } from 'node:crypto';
import { BatchLoader } from '../db/batch-loader';
import type { Db } from '../db/knex';
import type { Clock } from '../clock';
import { hashSecret, randomToken } from './secrets';

const KEY_PREFIX = 'rk_';
const PREFIX_LENGTH = 11;
/** last_used_at is informational: write it at most this often per key, not on every request. */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export interface ApiKeySummary {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

export interface CreatedApiKey extends ApiKeySummary {
  /** The key itself: shown once, never stored. */
  readonly key: string;
}

export interface ApiPrincipal {
  readonly apiKeyId: string;
  readonly name: string;
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const toSummary = (row: ApiKeyRow): ApiKeySummary => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: Number(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
});

export async function createApiKey(db: Db, clock: Clock, name: string): Promise<CreatedApiKey> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) throw new RangeError('the key name must be 1–100 characters');
  const key = KEY_PREFIX + randomToken(32);
  const row: ApiKeyRow = { id: randomUUID(), name: trimmed, prefix: key.slice(0, PREFIX_LENGTH), created_at: clock(), last_used_at: null, revoked_at: null };
  await db('api_keys').insert({ ...row, key_hash: hashSecret(key) });
  return { ...toSummary(row), key };
}

export async function listApiKeys(db: Db): Promise<ApiKeySummary[]> {
  const rows = (await db('api_keys')
    .select('id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at')
    .orderBy('created_at', 'asc')) as ApiKeyRow[];
  return rows.map(toSummary);
}

/** Revokes a key; false when no active key has that id. */
export async function revokeApiKey(db: Db, clock: Clock, id: string): Promise<boolean> {
  const changed = await db('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: clock() });
  return changed > 0;
}

/**
 * Looks keys up by hash on every request (no cache), so a revocation takes effect at once on every
 * server. Lookups that arrive in the same tick share one query, which matters under load.
 */
export class ApiKeyAuthenticator {
  private readonly lastWritten = new Map<string, number>();
  private readonly keys: BatchLoader<string, ApiPrincipal>;

  constructor(
    private readonly db: Db,
    readDb: Db,
    private readonly clock: Clock,
  ) {
    this.keys = new BatchLoader(async (hashes) => {
      const rows = (await readDb('api_keys').whereIn('key_hash', hashes).whereNull('revoked_at').select('id', 'name', 'key_hash')) as { id: string; name: string; key_hash: string }[];
      return new Map(rows.map((r) => [r.key_hash, { apiKeyId: r.id, name: r.name }]));
    });
  }

  async authenticate(presented: string): Promise<ApiPrincipal | null> {
    if (!presented.startsWith(KEY_PREFIX) || presented.length > 200) return null;
    const principal = await this.keys.load(hashSecret(presented));
    if (principal !== null) this.noteUse(principal.apiKeyId);
    return principal;
  }

  private noteUse(id: string): void {
    const now = this.clock();
    if (now - (this.lastWritten.get(id) ?? 0) < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastWritten.set(id, now);
    // Fire and forget: a failed bookkeeping write must not fail the request.
    this.db('api_keys').where({ id }).update({ last_used_at: now }).catch(() => this.lastWritten.delete(id));
  }
}
