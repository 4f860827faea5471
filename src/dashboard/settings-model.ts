/**
 * The view model of the survey settings page: for each form the values to show (what is in force, or
 * what the admin just sent when it was refused), the environment defaults beside them, and the messages
 * of a refused form keyed by field.
 */
import type { QuestionId } from '../surveys/questions';
import type { SurveySettings } from '../surveys/survey-settings';
import { formText } from './form';
import { POLICY_FIELDS, QUESTION_SLOTS } from './settings-forms';
import type { SurveyDefaults } from './settings-defaults';

export type SurveySection = 'questions' | 'policy' | 'branding';

/** A refused form: which one, its messages by field, and what was sent (shown again). */
export interface FormState {
  readonly section: SurveySection;
  readonly errors: Record<string, string>;
  readonly body: Record<string, unknown>;
}

export const QUESTION_LABELS: Record<QuestionId, string> = {
  csat: 'CSAT: how satisfied (1–5)',
  ces: 'CES: how easy (1–7)',
  nps: 'NPS: would recommend (0–10)',
  comment: 'Comment: open text',
};

const BRANDING_FIELDS = [
  { name: 'company_name', key: 'companyName', label: 'Company name', hint: 'Shown in emails and on the survey pages.', type: 'text' },
  { name: 'sender_name', key: 'senderName', label: 'Sender name', hint: 'The name in the From line; the address comes from MAIL_FROM.', type: 'text' },
  { name: 'accent_color', key: 'accentColor', label: 'Accent colour', hint: '# and six hexadecimal digits, e.g. #2453a6.', type: 'text' },
  { name: 'logo_url', key: 'logoUrl', label: 'Logo URL', hint: 'An https:// image shown at the top of emails; empty for none.', type: 'url' },
] as const;

const NOTICES: Record<string, string> = {
  questions: 'Survey questions saved. The next survey email asks them.',
  policy: 'Sending rules saved. They apply to the next interaction reported.',
  branding: 'Branding saved. The next emails and survey pages use it.',
  'reset:questions': 'Survey questions reset to the defaults.',
  'reset:policy': 'Sending rules reset to the environment defaults.',
  'reset:branding': 'Branding reset to the defaults.',
};

export interface SurveySettingsInput {
  readonly current: SurveySettings;
  readonly defaults: SurveyDefaults;
  /** The sections with a stored override. */
  readonly overridden: ReadonlySet<SurveySection>;
  readonly failed: FormState | null;
  /** `?saved=` / `?reset=` of the redirect; only known values turn into a message. */
  readonly notice: string | null;
}

export function surveySettingsModel(input: SurveySettingsInput) {
  const { current, defaults, failed } = input;
  const sent = (section: SurveySection, name: string, fallback: string): string =>
    failed?.section === section ? (formText(failed.body, name) ?? '') : fallback;
  const errorsOf = (section: SurveySection): Record<string, string> => (failed?.section === section ? failed.errors : {});
  return {
    notice: input.notice !== null && Object.hasOwn(NOTICES, input.notice) ? (NOTICES[input.notice] ?? null) : null,
    failedSection: failed?.section ?? null,
    questions: {
      overridden: input.overridden.has('questions'),
      errors: errorsOf('questions'),
      options: (Object.keys(QUESTION_LABELS) as QuestionId[]).map((id) => ({ id, label: QUESTION_LABELS[id] })),
      slots: QUESTION_SLOTS.map((name, i) => ({ name, position: i + 1, value: sent('questions', name, current.questions[i] ?? '') })),
      defaults: defaults.questions.map((q) => q.toUpperCase()).join(', '),
    },
    policy: {
      overridden: input.overridden.has('policy'),
      errors: errorsOf('policy'),
      fields: POLICY_FIELDS.map((f) => ({
        ...f,
        value: sent('policy', f.name, String(current.policy[f.key])),
        default: String(defaults.policy[f.key]),
        changed: defaults.policy[f.key] !== current.policy[f.key],
      })),
    },
    branding: {
      overridden: input.overridden.has('branding'),
      errors: errorsOf('branding'),
      fields: BRANDING_FIELDS.map((f) => ({
        ...f,
        value: sent('branding', f.name, current.branding[f.key] ?? ''),
        default: defaults.branding[f.key] ?? '(none)',
        changed: (defaults.branding[f.key] ?? null) !== (current.branding[f.key] ?? null),
      })),
    },
  };
}
