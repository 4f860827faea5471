/**
 * The survey form's view model: the questions in their configured order, in one language, with the
 * answer to show checked (a one-click answer from the link, else what the customer re-posted, else the
 * saved answer) and each error tied to its question. Pure, so the page logic is tested without HTTP.
 */
import type { Locale } from '../i18n/locale';
import { format, messagesFor, type Messages } from '../i18n/messages';
import { isRatingQuestion, MAX_COMMENT_LENGTH, scaleValues, type QuestionId, type RatingQuestion } from './questions';
import { optionLabel, questionWording } from './render-survey-email';
import type { AnswerError } from './schema';
import type { SavedAnswers } from './survey-page';

export interface RatingField {
  readonly kind: 'rating';
  readonly id: RatingQuestion;
  readonly legend: string;
  readonly low: string;
  readonly high: string;
  /** `checkedAttr` is ' checked' on the chosen option and empty on the others. */
  readonly options: readonly { value: number; label: string; checkedAttr: string }[];
  readonly error: string | null;
}

export interface CommentField {
  readonly kind: 'comment';
  readonly id: 'comment';
  readonly legend: string;
  readonly hint: string;
  readonly max: number;
  readonly value: string;
  readonly error: string | null;
}

export interface SurveyFormModel {
  readonly title: string;
  readonly intro: string;
  readonly questions: readonly (RatingField | CommentField)[];
  /** For the error summary: each links to its question. */
  readonly errors: readonly { target: string; message: string }[];
}

export interface SurveyFormInput {
  readonly locale: Locale;
  readonly company: string;
  readonly questions: readonly QuestionId[];
  readonly saved: SavedAnswers | null;
  /** One-click answers from the link (`?csat=5`), already validated. */
  readonly preselected?: Partial<Record<RatingQuestion, number>>;
  /** What a rejected post carried, shown back as typed. */
  readonly posted?: Readonly<Record<string, string>>;
  readonly errors?: Partial<Record<QuestionId, AnswerError>>;
}

function errorText(m: Messages, error: AnswerError | undefined): string | null {
  if (error === undefined) return null;
  if (error === 'too_long') return format(m.errorCommentTooLong, { max: MAX_COMMENT_LENGTH });
  return error === 'repeated' ? m.errorRepeated : m.errorOutOfRange;
}

/** The answer shown chosen: the link's one-click answer, else the re-posted one, else the saved one. */
export function chosenValue(input: Pick<SurveyFormInput, 'preselected' | 'posted' | 'saved'>, id: RatingQuestion): number | null {
  const posted = input.posted?.[id];
  return input.preselected?.[id] ?? (posted !== undefined ? Number(posted) : null) ?? input.saved?.[id] ?? null;
}

/** The comment shown in the box: the re-posted text, else the saved one. */
export function shownComment(input: Pick<SurveyFormInput, 'posted' | 'saved'>): string {
  return input.posted?.comment ?? input.saved?.comment ?? '';
}

export function surveyFormModel(input: SurveyFormInput): SurveyFormModel {
  const m = messagesFor(input.locale);
  const fields = input.questions.map((id): RatingField | CommentField => {
    const error = errorText(m, input.errors?.[id]);
    if (!isRatingQuestion(id)) {
      return {
        kind: 'comment',
        id,
        legend: m.commentQuestion,
        hint: format(m.commentHint, { max: MAX_COMMENT_LENGTH }),
        max: MAX_COMMENT_LENGTH,
        value: shownComment(input),
        error,
      };
    }
    const wording = questionWording(m, id, input.company);
    const chosen = chosenValue(input, id);
    const values = scaleValues(id);
    return {
      kind: 'rating',
      id,
      legend: wording.text,
      low: `${values[0]} – ${wording.low}`,
      high: `${values[values.length - 1]} – ${wording.high}`,
      options: values.map((value) => ({ value, label: optionLabel(m, id, value, input.company), checkedAttr: value === chosen ? ' checked' : '' })),
      error,
    };
  });
  return {
    title: format(m.surveyTitle, { company: input.company }),
    intro: m.surveyIntro,
    questions: fields,
    errors: fields.flatMap((f) => (f.error ? [{ target: f.kind === 'rating' ? `${f.id}-first` : 'comment', message: `${f.legend} ${f.error}` }] : [])),
  };
}
