/**
 * The survey form as posted (CONTRACT §4): `nps`, `csat`, `ces` as whole numbers in their ranges,
 * `comment` up to 2000 characters. A field given twice, an out-of-range or non-numeric value, or a longer
 * comment makes the whole post invalid; a field left out means "keep the earlier answer".
 */
import { MAX_COMMENT_LENGTH, RATING_SCALES, type RatingQuestion } from './questions';

export type AnswerError = 'out_of_range' | 'repeated' | 'too_long';

export interface AnswerChanges {
  readonly nps?: number;
  readonly csat?: number;
  readonly ces?: number;
  /** null clears an earlier comment. */
  readonly comment?: string | null;
}

export type AnswersParse = { ok: true; changes: AnswerChanges } | { ok: false; errors: Partial<Record<RatingQuestion | 'comment', AnswerError>>; raw: Record<string, string> };

const RATINGS = Object.keys(RATING_SCALES) as RatingQuestion[];

/** A rating from a query string or form field, or null when it is not a whole number in range. */
export function parseRating(question: RatingQuestion, value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,2}$/.test(value)) return null;
  const n = Number(value);
  const { min, max } = RATING_SCALES[question];
  return n >= min && n <= max ? n : null;
}

/** Characters as people count them (code points), so an emoji is one. */
export function characterCount(text: string): number {
  return Array.from(text).length;
}

export function parseAnswers(body: Record<string, unknown>): AnswersParse {
  const errors: Partial<Record<RatingQuestion | 'comment', AnswerError>> = {};
  const changes: { nps?: number; csat?: number; ces?: number; comment?: string | null } = {};
  const raw: Record<string, string> = {};
  for (const q of RATINGS) {
    const value = body[q];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      errors[q] = 'repeated';
      continue;
    }
    raw[q] = value;
    const rating = parseRating(q, value);
    if (rating === null) errors[q] = 'out_of_range';
    else changes[q] = rating;
  }
  const comment = body.comment;
  if (comment !== undefined) {
    if (typeof comment !== 'string') errors.comment = 'repeated';
    else {
      raw.comment = comment;
      const text = comment.replace(/\r\n/g, '\n').split('\u0000').join('').trim();
      if (characterCount(text) > MAX_COMMENT_LENGTH) errors.comment = 'too_long';
      else changes.comment = text.length === 0 ? null : text;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors, raw } : { ok: true, changes };
}
