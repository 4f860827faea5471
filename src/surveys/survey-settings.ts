/**
 * The survey settings in force: the policy (environment defaults overridden by the Settings page), the
 * questions and their order, and the branding. Cached briefly because every trigger and every email
 * needs them; a change reaches every server within the TTL.
 */
import type { Config } from '../config/config';
import type { Db } from '../db/knex';
import type { Clock } from '../clock';
import { readSettings } from '../settings/settings-repository';
import type { SurveyPolicy } from './decide-survey';
import { parseQuestions, type QuestionId } from './questions';

export const SURVEY_POLICY_SETTING = 'survey.policy';
export const SURVEY_QUESTIONS_SETTING = 'survey.questions';
export const BRANDING_SETTING = 'branding';
const CACHE_TTL_MS = 5_000;

export interface Branding {
  /** Shown in emails and pages ("{company} made it easy…"). */
  readonly companyName: string;
  /** A #rrggbb colour for buttons and links. */
  readonly accentColor: string;
  /** An https:// image URL, or null for a text header. */
  readonly logoUrl: string | null;
  /** The display name of the sender; the address comes from MAIL_FROM. */
  readonly senderName: string;
}

export interface SurveySettings {
  readonly policy: SurveyPolicy;
  readonly questions: readonly QuestionId[];
  readonly branding: Branding;
}

export function defaultPolicy(config: Config): SurveyPolicy {
  return {
    delaySeconds: config.surveyDelaySeconds,
    throttleDays: config.surveyThrottleDays,
    maxAgeDays: config.surveyMaxAgeDays,
    expiryDays: config.surveyExpiryDays,
  };
}

/** The display name in MAIL_FROM (`Acme Support <x@y>` → `Acme Support`), or null. */
function displayName(mailFrom: string): string | null {
  const match = /^\s*"?([^"<]+?)"?\s*<[^>]+>\s*$/.exec(mailFrom);
  return match?.[1] ?? null;
}

export function defaultBranding(config: Pick<Config, 'mailFrom'>): Branding {
  const name = displayName(config.mailFrom) ?? 'Rapport';
  return { companyName: name, accentColor: '#2453a6', logoUrl: null, senderName: name };
}

/** Black-ish or white text, whichever reads better on the accent colour (WCAG relative luminance). */
export function textOnAccent(accent: string): string {
  const channel = (i: number): number => {
    const c = parseInt(accent.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  // Contrast against white is (1.05)/(L+0.05); against #1f2430 (L≈0.017) it is (L+0.05)/0.067.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.067 ? '#ffffff' : '#1f2430';
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Applies stored overrides field by field, ignoring any that are not whole numbers. */
export function mergePolicy(defaults: SurveyPolicy, stored: unknown): SurveyPolicy {
  if (typeof stored !== 'object' || stored === null) return defaults;
  const overrides = stored as Partial<Record<keyof SurveyPolicy, unknown>>;
  const pick = (key: keyof SurveyPolicy): number => {
    const value = overrides[key];
    return isWholeNumber(value) ? value : defaults[key];
  };
  return { delaySeconds: pick('delaySeconds'), throttleDays: pick('throttleDays'), maxAgeDays: pick('maxAgeDays'), expiryDays: Math.max(1, pick('expiryDays')) };
}

/** Applies stored branding field by field, keeping defaults for anything missing or malformed. */
export function mergeBranding(defaults: Branding, stored: unknown): Branding {
  if (typeof stored !== 'object' || stored === null) return defaults;
  const b = stored as Partial<Record<keyof Branding, unknown>>;
  const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v.trim().length > 0 && v.length <= 100 ? v.trim() : fallback);
  return {
    companyName: text(b.companyName, defaults.companyName),
    accentColor: typeof b.accentColor === 'string' && /^#[0-9a-fA-F]{6}$/.test(b.accentColor) ? b.accentColor.toLowerCase() : defaults.accentColor,
    logoUrl: typeof b.logoUrl === 'string' && /^https:\/\/[^\s"'<>]+$/.test(b.logoUrl) && b.logoUrl.length <= 500 ? b.logoUrl : b.logoUrl === null ? null : defaults.logoUrl,
    senderName: text(b.senderName, defaults.senderName),
  };
}

export class SurveySettingsSource {
  private cached: { settings: SurveySettings; until: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** The environment's policy and branding: what applies where the Settings page stored nothing. */
    readonly defaults: { readonly policy: SurveyPolicy; readonly branding: Branding },
  ) {}

  async current(): Promise<SurveySettings> {
    const now = this.clock();
    if (this.cached && this.cached.until > now) return this.cached.settings;
    const stored = await readSettings(this.db, [SURVEY_POLICY_SETTING, SURVEY_QUESTIONS_SETTING, BRANDING_SETTING]);
    const settings: SurveySettings = {
      policy: mergePolicy(this.defaults.policy, stored.get(SURVEY_POLICY_SETTING)),
      questions: parseQuestions(stored.get(SURVEY_QUESTIONS_SETTING)),
      branding: mergeBranding(this.defaults.branding, stored.get(BRANDING_SETTING)),
    };
    this.cached = { settings, until: now + CACHE_TTL_MS };
    return settings;
  }

  /** Forgets the cached settings (after this process changed them). */
  invalidate(): void {
    this.cached = null;
  }
}
