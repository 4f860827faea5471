/**
 * What the survey settings are without any override: the environment's policy and branding (CONTRACT §2:
 * "the environment gives the defaults") and the contract's default questions. The Settings page shows
 * them next to each overridden value.
 */
import type { SurveyPolicy } from '../surveys/decide-survey';
import { DEFAULT_QUESTIONS, type QuestionId } from '../surveys/questions';
import type { Branding, SurveySettingsSource } from '../surveys/survey-settings';

export interface SurveyDefaults {
  readonly policy: SurveyPolicy;
  readonly branding: Branding;
  readonly questions: readonly QuestionId[];
}

/** The defaults the settings source was built with, for display next to the overrides. */
export function surveyDefaults(source: SurveySettingsSource): SurveyDefaults {
  return { policy: source.defaults.policy, branding: source.defaults.branding, questions: DEFAULT_QUESTIONS };
}
