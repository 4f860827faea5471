/** The questions a survey can ask, their answer ranges, and the default order (CONTRACT §4). */
export const RATING_SCALES = {
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
  nps: { min: 0, max: 10 },
} as const;

export type RatingQuestion = keyof typeof RATING_SCALES;
export type QuestionId = RatingQuestion | 'comment';

export const QUESTION_IDS: readonly QuestionId[] = ['csat', 'ces', 'nps', 'comment'];
export const DEFAULT_QUESTIONS: readonly QuestionId[] = ['csat', 'ces', 'nps', 'comment'];
export const MAX_COMMENT_LENGTH = 2000;

export function isRatingQuestion(id: QuestionId): id is RatingQuestion {
  return id !== 'comment';
}

/** The values of a rating scale, lowest first. */
export function scaleValues(question: RatingQuestion): number[] {
  const { min, max } = RATING_SCALES[question];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

/** A stored question list, or the default when it is missing or malformed (no repeats, known ids only). */
export function parseQuestions(stored: unknown): readonly QuestionId[] {
  if (!Array.isArray(stored) || stored.length === 0) return DEFAULT_QUESTIONS;
  const ids = stored.filter((q): q is QuestionId => (QUESTION_IDS as readonly unknown[]).includes(q));
  return ids.length === stored.length && new Set(ids).size === ids.length ? ids : DEFAULT_QUESTIONS;
}
