// @temporal-stompy/insights: what the memory learns from outcomes, computed from counts. Shared by the
// memory server (exact, over every outcome it holds) and the plugin (from the outcomes it recalled).
export { attemptRisk, ELEVATED_RISK_SCORE, HIGH_RISK_SCORE } from './attempt-risk';
export type { AttemptRisk, RiskAttempt } from './attempt-risk';
export { binomialTail } from './binomial-tail';
export { smoothedRate } from './evidence-rules';
export { describeWindow, hourOfWeek, isTimeZone, WINDOWS_PER_WEEK } from './hour-of-week';
export { DEFAULT_INSIGHT_SETTINGS } from './insight-types';
export type {
  FailurePattern,
  InsightSettings,
  IssueCount,
  KeyInsights,
  Regression,
  RunCount,
  UnhandledCounts,
  VersionCount,
  WindowCount,
} from './insight-types';
export {
  bucketDurationMs,
  countedDimension,
  countOutcomes,
  dimensionsOf,
  durationBucket,
} from './key-counts';
export type {
  BaseCounts,
  Dimension,
  DimensionCount,
  DurationCount,
  HourCount,
  KeyCounts,
  LastFailure,
} from './key-counts';
export { DEFAULT_HANDLING_LABEL, keyInsights, keyInsightsOfSums } from './key-insights';
export { recencyWeight, roundedWeight, sumKeyCounts } from './summed-counts';
export type { HandlingCount, SummedKeyCounts } from './summed-counts';
export { DEFAULT_HANDLING, outcomeFactsProblem } from './outcome-facts';
export type { OutcomeFacts } from './outcome-facts';
/** When a version regression was first flagged, replaying its outcomes in event order. */
export { regressionFlaggedAt } from './version-regression';
/** What `regressionFlaggedAt` returns. */
export type { RegressionFlagged } from './version-regression';
