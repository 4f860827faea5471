/** The scoring domain's public API: pure KPI counts, intervals, duration sketches and group scores. */
export {
  RATING_SCALES, addCounts, countAnswers, countInteraction, countSurveySent, emptyCounts, subtractCounts,
  type AnswerInput, type InteractionInput, type KpiCounts,
} from './counts';
export { Z_95, meanInterval, npsInterval, npsScore, wilsonInterval, type Interval } from './intervals';
export {
  scoreCounts, scoreGroup,
  type CesScores, type KpiCountScores, type KpiNumbers, type CsatScores, type FcrScores, type KpiGroupScores, type NpsScores, type TimeScores,
} from './score-group';
export {
  SKETCH_GAMMA, SKETCH_RELATIVE_ACCURACY, ZERO_BUCKET, bucketOf, bucketValue, emptySketch, mergeSketches,
  nearestRank, sketchAdd, sketchCount, sketchFromBuckets, sketchQuantile, subtractSketches, type TimeSketch,
} from './time-sketch';
