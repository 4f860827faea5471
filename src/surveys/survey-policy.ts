/**
 * The survey policy in force: the environment's defaults, overridden by the Settings page's values.
 * Cached briefly because every trigger needs it; a change reaches every server within the TTL.
 */
import type { Config } from '../config/config';
import type { Db } from '../db/knex';
import type { Clock } from '../clock';
import { readSetting } from '../settings/settings-repository';
import type { SurveyPolicy } from './decide-survey';

export const SURVEY_POLICY_SETTING = 'survey.policy';
const CACHE_TTL_MS = 5_000;

export function defaultPolicy(config: Config): SurveyPolicy {
  return {
    delaySeconds: config.surveyDelaySeconds,
    throttleDays: config.surveyThrottleDays,
    maxAgeDays: config.surveyMaxAgeDays,
    expiryDays: config.surveyExpiryDays,
  };
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

export class SurveyPolicySource {
  private cached: { policy: SurveyPolicy; until: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly defaults: SurveyPolicy,
  ) {}

  async current(): Promise<SurveyPolicy> {
    const now = this.clock();
    if (this.cached && this.cached.until > now) return this.cached.policy;
    const policy = mergePolicy(this.defaults, await readSetting(this.db, SURVEY_POLICY_SETTING));
    this.cached = { policy, until: now + CACHE_TTL_MS };
    return policy;
  }

  /** Forgets the cached policy (after this process changed the settings). */
  invalidate(): void {
    this.cached = null;
  }
}
