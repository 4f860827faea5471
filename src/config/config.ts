/**
 * Reads the environment once, checks every variable of CONTRACT §2 and returns a frozen Config.
 * A bad value throws ConfigError naming the variable, so start-up stops with one readable line.
 */
import path from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

export type DatabaseTarget =
  | { readonly client: 'sqlite'; readonly filename: string }
  | { readonly client: 'pg'; readonly url: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absolute origin for emailed links, without a trailing slash. */
  readonly baseUrl: string;
  readonly database: DatabaseTarget;
  readonly dataDir: string;
  /** Unset: capture mode (nothing leaves the machine). */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /** Unset: generated once and kept in the database. */
  readonly sessionSecret: string | null;
  readonly surveyDelaySeconds: number;
  readonly surveyThrottleDays: number;
  readonly surveyExpiryDays: number;
  readonly surveyMaxAgeDays: number;
  readonly kpiMinResponses: number;
  readonly reportTimezone: string;
  readonly apiRateLimitPerMinute: number;
  readonly publicRateLimitPerMinute: number;
  /** Passed to Express `trust proxy`; false trusts no proxy. */
  readonly trustProxy: boolean | number | string;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const wholeNumber = (max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().max(max, `must be at most ${max}`));

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const isHttpOrigin = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
};

// Express's `trust proxy`: true/false, a hop count, or addresses and subnets and the names loopback,
// linklocal, uniquelocal, comma-separated. The list is checked by proxy-addr, the parser Express uses, so
// a value passes here exactly when Express takes it, and a typo stops start-up naming the variable.
const isTrustProxy = (value: string): boolean => {
  if (value === 'true' || value === 'false' || /^\d+$/.test(value)) return true;
  try {
    proxyaddr.compile(value.split(',').map((part) => part.trim()));
    return true;
  } catch {
    return false;
  }
};

// `address@host` or `Name <address@host>` (host may be a bare name such as localhost).
const isMailbox = (value: string): boolean => /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(value.trim());

const env = z.object({
  PORT: wholeNumber(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  BASE_URL: z.string().refine(isHttpOrigin, 'must be an http(s) URL without query or fragment').optional(),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v) || /^sqlite:\/.+/.test(v), 'must start with postgres:// or sqlite:/')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^/]+/.test(v), 'must be smtp://[user:pass@]host[:port] or smtps://…')
    .optional(),
  MAIL_FROM: z.string().refine(isMailbox, 'must be an address such as surveys@example.com or Name <surveys@example.com>').default('Rapport <surveys@localhost>'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SURVEY_DELAY_SECONDS: wholeNumber(30 * 86400).default(600),
  SURVEY_THROTTLE_DAYS: wholeNumber(3650).default(7),
  SURVEY_EXPIRY_DAYS: wholeNumber(3650).pipe(z.number().min(1, 'must be at least 1')).default(30),
  SURVEY_MAX_AGE_DAYS: wholeNumber(3650).default(3),
  KPI_MIN_RESPONSES: wholeNumber(1_000_000).default(10),
  REPORT_TIMEZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Madrid').default('UTC'),
  API_RATE_LIMIT_PER_MINUTE: wholeNumber(10_000_000).default(6000),
  PUBLIC_RATE_LIMIT_PER_MINUTE: wholeNumber(10_000_000).default(300),
  TRUST_PROXY: z.string().refine(isTrustProxy, 'must be true, false, a number of hops, or addresses/subnets such as loopback or 10.0.0.0/8').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Empty strings count as unset, as shells and .env files often produce them. */
function present(source: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function databaseTarget(url: string | undefined, dataDir: string): DatabaseTarget {
  if (url === undefined) return { client: 'sqlite', filename: path.resolve(dataDir, 'rapport.sqlite') };
  if (url.startsWith('sqlite:')) return { client: 'sqlite', filename: path.resolve(url.slice('sqlite:'.length)) };
  return { client: 'pg', url };
}

/** Parses the environment; throws ConfigError for the first bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = env.safeParse(present(source));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'invalid');
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    database: databaseTarget(e.DATABASE_URL, e.DATA_DIR),
    dataDir: path.resolve(e.DATA_DIR),
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    sessionSecret: e.SESSION_SECRET ?? null,
    surveyDelaySeconds: e.SURVEY_DELAY_SECONDS,
    surveyThrottleDays: e.SURVEY_THROTTLE_DAYS,
    surveyExpiryDays: e.SURVEY_EXPIRY_DAYS,
    surveyMaxAgeDays: e.SURVEY_MAX_AGE_DAYS,
    kpiMinResponses: e.KPI_MIN_RESPONSES,
    reportTimezone: e.REPORT_TIMEZONE,
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    publicRateLimitPerMinute: e.PUBLIC_RATE_LIMIT_PER_MINUTE,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
  });
}
