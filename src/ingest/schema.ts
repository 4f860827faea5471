/**
 * The interaction trigger as integrations send it (CONTRACT §3), checked strictly: no coercion,
 * RFC 3339 timestamps with an offset, every failing field reported by its dotted path.
 */
import { z } from 'zod';
import type { FieldIssue } from '../errors';

/** Clock skew allowed for timestamps "now" on the sender's side. */
export const MAX_FUTURE_MS = 5 * 60_000;
export const MAX_METADATA_BYTES = 4096;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Epoch ms of an RFC 3339 timestamp with offset, or null when malformed or not a real calendar instant. */
export function parseRfc3339(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  // Fractions beyond milliseconds are cut, as Date.parse cuts them (every trigger has three timestamps:
  // this is cheaper than handing the string to Date.parse).
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(1, 4).padEnd(3, '0'));
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset;
  // Reports start at the Unix epoch: an instant before it (1970-01-01T05:00+14:00 too) is no real trigger.
  return ms < 0 ? null : ms;
}

// Text neither engine can store as given: PostgreSQL refuses NUL; half of a UTF-16 surrogate pair (JSON
// allows "\ud800") is kept by SQLite as invalid UTF-8 that no later lookup matches, and turned into
// U+FFFD by PostgreSQL, so two different ids would become one key.
const NUL_MESSAGE = 'must not contain NUL characters';
const SURROGATE_MESSAGE = 'must not contain unpaired UTF-16 surrogates';
const LONE_SURROGATE = /\p{Cs}/u;
const noNul = (s: string): boolean => !s.includes('\u0000');
const wellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);

/** `schema` refusing what neither engine can store. */
const storable = <S extends z.ZodType<string>>(schema: S): S => schema.refine(noNul, NUL_MESSAGE).refine(wellFormed, SURROGATE_MESSAGE);

const text = (max: number) => storable(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));
const optionalText = (max: number) => text(max).nullish();

const TIMESTAMP_FIELDS = ['closed_at', 'opened_at', 'first_response_at'] as const;

const timestamp = z.string().transform((value, ctx) => {
  const ms = parseRfc3339(value);
  if (ms === null) {
    // parseRfc3339 refuses instants before the epoch too; say which it was (only on this failure path).
    const beforeEpoch = RFC3339.test(value) && Date.parse(value.toUpperCase()) < 0;
    ctx.addIssue({ code: 'custom', message: beforeEpoch ? 'must not be before 1970-01-01T00:00:00Z' : 'must be an RFC 3339 timestamp with an offset, e.g. 2026-11-20T14:03:00Z' });
    return z.NEVER;
  }
  return ms;
});

const email = storable(z.email('must be a valid email address').max(254));

/** The locale columns' width. */
const MAX_LOCALE_LENGTH = 16;

/** A well-formed BCP 47 tag, as Intl (which formats the survey pages and emails) reads them. */
function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

const MAX_METADATA_DEPTH = 32;

/**
 * Why metadata cannot be stored as given, or null. Walked without recursion, depth first: 64 KiB of
 * JSON nests 30,000 levels deep, past what JSON.stringify can descend.
 */
function metadataProblem(value: Readonly<Record<string, unknown>>): string | null {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node === 'string') {
      if (!noNul(node)) return NUL_MESSAGE;
      if (!wellFormed(node)) return SURROGATE_MESSAGE;
    } else if (typeof node === 'number') {
      // JSON.parse reads 1e309 as Infinity, which JSON.stringify would store as null.
      if (!Number.isFinite(node)) return 'must not hold numbers beyond the range of a double';
    } else if (typeof node === 'object' && node !== null) {
      if (depth > MAX_METADATA_DEPTH) return `must not nest more than ${MAX_METADATA_DEPTH} levels deep`;
      for (const [key, inner] of Object.entries(node)) pending.push([key, depth], [inner, depth + 1]);
    }
  }
  return Buffer.byteLength(JSON.stringify(value), 'utf8') > MAX_METADATA_BYTES ? `must be at most ${MAX_METADATA_BYTES} bytes as JSON` : null;
}

const metadata = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  const problem = metadataProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

// Built once: constructing a Zod schema costs far more than running it.
const triggerSchema = z.object({
  external_id: text(200),
  source: text(64).default('api'),
  channel: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'must be 1–32 characters of a–z, 0–9, _ and -'),
  closed_at: timestamp,
  opened_at: timestamp.nullish(),
  first_response_at: timestamp.nullish(),
  contacts: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000).nullish(),
  agent: z.object({
    external_id: text(200),
    name: optionalText(200),
    email: email.nullish(),
    team: optionalText(100),
  }),
  customer: z
    .object({
      email: email.nullish(),
      name: optionalText(200),
      locale: z.string().max(MAX_LOCALE_LENGTH, `must be at most ${MAX_LOCALE_LENGTH} characters`).refine(isLanguageTag, 'must be a language tag such as es or es-MX').nullish(),
      external_id: optionalText(200),
    })
    .nullish(),
  survey: z.object({ send: z.boolean() }).nullish(),
  metadata: metadata.nullish(),
});

type ParsedTrigger = z.output<typeof triggerSchema>;

/** A validated trigger: instants in epoch ms, optional parts normalised to null. */
export interface Trigger {
  readonly externalId: string;
  readonly source: string;
  readonly channel: string;
  readonly closedAt: number;
  readonly openedAt: number | null;
  readonly firstResponseAt: number | null;
  readonly contacts: number | null;
  readonly agent: { readonly externalId: string; readonly name: string | null; readonly email: string | null; readonly team: string | null };
  readonly customer: { readonly email: string | null; readonly name: string | null; readonly locale: string | null; readonly externalId: string | null };
  readonly surveyRequested: boolean;
  readonly metadata: Readonly<Record<string, unknown>> | null;
}

function toTrigger(p: ParsedTrigger): Trigger {
  return {
    externalId: p.external_id,
    source: p.source,
    channel: p.channel,
    closedAt: p.closed_at,
    openedAt: p.opened_at ?? null,
    firstResponseAt: p.first_response_at ?? null,
    contacts: p.contacts ?? null,
    agent: { externalId: p.agent.external_id, name: p.agent.name ?? null, email: p.agent.email?.toLowerCase() ?? null, team: p.agent.team ?? null },
    customer: {
      email: p.customer?.email?.toLowerCase() ?? null,
      name: p.customer?.name ?? null,
      locale: p.customer?.locale ?? null,
      externalId: p.customer?.external_id ?? null,
    },
    surveyRequested: p.survey?.send ?? true,
    metadata: p.metadata ?? null,
  };
}

/** Plainer words than Zod's defaults for the two commonest mistakes. */
function friendlyMessage(issue: { code?: string; input?: unknown; expected?: unknown }): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'is required';
  return `must be ${issue.expected === 'object' ? 'an object' : `a ${String(issue.expected)}`}`;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(body)';
}

/** Rules that span fields or need the clock; each is checked only where its fields are well-formed. */
function crossFieldIssues(body: Record<string, unknown>, now: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (key: string): number | null => (typeof body[key] === 'string' ? parseRfc3339(body[key] as string) : null);
  for (const field of TIMESTAMP_FIELDS) {
    const ms = at(field);
    if (ms !== null && ms > now + MAX_FUTURE_MS) issues.push({ path: field, message: 'must not be more than 5 minutes in the future' });
  }
  const opened = at('opened_at');
  const firstResponse = at('first_response_at');
  const closed = at('closed_at');
  if (opened !== null && firstResponse !== null && opened > firstResponse) issues.push({ path: 'first_response_at', message: 'must not be before opened_at' });
  if (firstResponse !== null && closed !== null && firstResponse > closed) issues.push({ path: 'first_response_at', message: 'must not be after closed_at' });
  if (opened !== null && closed !== null && opened > closed) issues.push({ path: 'opened_at', message: 'must not be after closed_at' });
  const survey = body.survey as { send?: unknown } | undefined;
  const customer = body.customer as { email?: unknown } | undefined;
  const wantsSurvey = !(typeof survey === 'object' && survey !== null && survey.send === false);
  if (wantsSurvey && (typeof customer !== 'object' || customer === null || customer.email === undefined || customer.email === null)) {
    issues.push({ path: 'customer.email', message: 'is required unless survey.send is false' });
  }
  return issues;
}

export type TriggerParse = { ok: true; trigger: Trigger } | { ok: false; issues: FieldIssue[] };

/** Validates a request body against the contract; `now` bounds how far in the future timestamps may be. */
export function parseTrigger(body: unknown, now: number): TriggerParse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '(body)', message: 'must be a JSON object' }] };
  }
  const parsed = triggerSchema.safeParse(body, { error: friendlyMessage });
  // A missing agent is reported as its one required field, the path the contract names.
  const issues: FieldIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: pathOf(i.path) === 'agent' && (body as Record<string, unknown>).agent === undefined ? 'agent.external_id' : pathOf(i.path), message: i.message }));
  for (const issue of crossFieldIssues(body as Record<string, unknown>, now)) {
    if (!issues.some((i) => i.path === issue.path)) issues.push(issue);
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, trigger: toTrigger(parsed.data) };
}
