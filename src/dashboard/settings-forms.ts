/**
 * Checks the three survey settings forms (questions, policy, branding) and turns them into the values
 * SurveySettingsSource reads: a question id list, a SurveyPolicy, a Branding. Pure: a rejected form
 * yields messages per field and nothing to store.
 */
import { isRatingQuestion, QUESTION_IDS, type QuestionId } from '../surveys/questions';
import type { SurveyPolicy } from '../surveys/decide-survey';
import type { Branding } from '../surveys/survey-settings';
import { formText } from './form';

/** A form's outcome: the value to store, or messages keyed by field name. */
export type FormResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: Record<string, string> };

type Body = Record<string, unknown> | undefined;

/** The question slots the form offers, first to last: `q1` is the question embedded in the email. */
export const QUESTION_SLOTS = QUESTION_IDS.map((_, i) => `q${i + 1}`);

/** Reads the slots in order, skipping empty ones; the first question must be a rating (the email embeds it as links). */
export function parseQuestionsForm(body: Body): FormResult<QuestionId[]> {
  const errors: Record<string, string> = {};
  const chosen: QuestionId[] = [];
  for (const slot of QUESTION_SLOTS) {
    const value = formText(body, slot);
    if (value === null) {
      if (body?.[slot] !== undefined) errors[slot] = 'Choose one question.';
      continue;
    }
    if (value === '') continue;
    if (!(QUESTION_IDS as readonly string[]).includes(value)) errors[slot] = 'Choose a question from the list.';
    else if (chosen.includes(value as QuestionId)) errors[slot] = 'This question is already asked above.';
    else chosen.push(value as QuestionId);
  }
  const first = chosen[0];
  if (Object.keys(errors).length === 0 && (first === undefined || !isRatingQuestion(first))) {
    errors[QUESTION_SLOTS[0] as string] = 'The first question is embedded in the email as one link per answer: choose CSAT, CES or NPS.';
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: chosen };
}

/** Each policy field: its form name, the SurveyPolicy key, its unit and its allowed range (as config allows). */
export const POLICY_FIELDS = [
  { name: 'delay_seconds', env: 'SURVEY_DELAY_SECONDS', key: 'delaySeconds', label: 'Delay after the interaction closes', unit: 'seconds', min: 0, max: 30 * 86_400, hint: '0 sends at once.' },
  { name: 'throttle_days', env: 'SURVEY_THROTTLE_DAYS', key: 'throttleDays', label: 'At most one survey per customer in', unit: 'days', min: 0, max: 3650, hint: '0 turns throttling off.' },
  { name: 'expiry_days', env: 'SURVEY_EXPIRY_DAYS', key: 'expiryDays', label: 'Survey links answer for', unit: 'days', min: 1, max: 3650, hint: 'Counted from when the email is sent.' },
  { name: 'max_age_days', env: 'SURVEY_MAX_AGE_DAYS', key: 'maxAgeDays', label: 'No survey for interactions closed more than', unit: 'days', min: 0, max: 3650, hint: 'Older triggers count in the KPIs but get no email.' },
] as const satisfies readonly { name: string; env: string; key: keyof SurveyPolicy; label: string; unit: string; min: number; max: number; hint: string }[];

/** Whole numbers only: "5", not "5.0", "+5", "5e0" or " " (strictly as the API types its fields). */
export function parsePolicyForm(body: Body): FormResult<SurveyPolicy> {
  const errors: Record<string, string> = {};
  const value: Partial<Record<keyof SurveyPolicy, number>> = {};
  for (const field of POLICY_FIELDS) {
    const raw = formText(body, field.name)?.trim() ?? null;
    if (raw === null || !/^\d{1,10}$/.test(raw)) {
      errors[field.name] = `Enter a whole number of ${field.unit} from ${field.min} to ${field.max.toLocaleString('en')}.`;
      continue;
    }
    const n = Number(raw);
    if (n < field.min || n > field.max) errors[field.name] = `Enter a whole number of ${field.unit} from ${field.min} to ${field.max.toLocaleString('en')}.`;
    else value[field.key] = n;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: value as SurveyPolicy };
}

const MAX_NAME = 100;
const MAX_LOGO_URL = 500;

/** A display name: 1–100 characters without control characters (it goes into a From header). */
function displayText(body: Body, name: string, what: string, errors: Record<string, string>): string {
  const raw = formText(body, name);
  const value = raw?.trim() ?? '';
  // eslint-disable-next-line no-control-regex
  if (raw === null || value.length === 0 || value.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(value)) {
    errors[name] = `Enter ${what}: 1 to ${MAX_NAME} characters.`;
  }
  return value;
}

/** Branding as mergeBranding accepts it: names, a #rrggbb colour, and an https logo URL or none. */
export function parseBrandingForm(body: Body): FormResult<Branding> {
  const errors: Record<string, string> = {};
  const companyName = displayText(body, 'company_name', 'a company name', errors);
  const senderName = displayText(body, 'sender_name', 'a sender name', errors);
  const accent = formText(body, 'accent_color')?.trim() ?? null;
  if (accent === null || !/^#[0-9a-fA-F]{6}$/.test(accent)) errors.accent_color = 'Enter a colour as # and six hexadecimal digits, like #2453a6.';
  const logo = formText(body, 'logo_url')?.trim() ?? null;
  let logoUrl: string | null = null;
  if (logo === null) errors.logo_url = 'Enter one address, or leave it empty.';
  else if (logo !== '') {
    // The same rule mergeBranding applies when it reads the setting back, so a saved URL is never dropped.
    const valid = logo.length <= MAX_LOGO_URL && /^https:\/\/[^\s"'<>]+$/.test(logo) && URL.canParse(logo);
    if (valid) logoUrl = logo;
    else errors.logo_url = `Enter an https:// address of an image (at most ${MAX_LOGO_URL} characters), or leave it empty for no logo.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { companyName, senderName, accentColor: (accent as string).toLowerCase(), logoUrl } };
}
