import { z } from 'zod';

// The `outputSchema` of `outcome_insights`: exactly the `KeyInsights` of @temporal-stompy/insights as
// JSON carries them (fields that are undefined are absent). Times are ISO 8601 strings; they are not
// checked as `z.iso.datetime()`, since an event time may lie beyond the year 9999.

const count = z.number().int().nonnegative();
const rate = z.number().describe('A failure rate, 0 to 1, smoothed toward the comparison rate');
const window = z.number().int().min(0).max(167).describe('Hour of the week: 0 is Monday 00:00-01:00');
const isoTime = z.string().describe('ISO 8601 time, UTC');
const runCount = z.object({ runs: count, failures: count, failureRate: rate });

const windowCount = z.object({
  window,
  runs: count,
  failures: count,
  weightedRuns: z.number().describe('Runs weighted by recency (3 decimals), as the pattern test counts them'),
  weightedFailures: z.number(),
  failedOccurrences: count.describe('Occurrences of the window (distinct hours) with a failure'),
});

const failurePattern = z.object({
  window,
  label: z.string().describe('E.g. "Tuesdays 15:00-16:00 UTC"'),
  runs: count,
  failures: count,
  failureRate: rate,
  otherwiseRate: rate.describe("The key's failure rate outside the window"),
  pValue: z.number(),
  reason: z.string().describe('The pattern in a sentence'),
});

const regression = z.object({
  version: z.string(),
  previousVersion: z.string(),
  runs: count,
  failures: count,
  failureRate: rate,
  previousRate: rate,
  previousRuns: count,
  pValue: z.number(),
  reason: z.string().describe('The regression in a sentence'),
});

/** What the memory learned about one key over its whole history (`KeyInsights`). */
export const keyInsightsSchema = z.object({
  key: z.string(),
  exact: z.boolean().describe('True: computed over the whole history'),
  runs: count,
  failures: count,
  failureRate: rate,
  timeZone: z.string().describe('The time zone of its windows'),
  windows: z.array(windowCount).describe('Default-path outcomes per hour of the week, in window order'),
  patterns: z.array(failurePattern).describe('Windows that fail far more than elsewhere, strongest first'),
  commonIssues: z.array(z.object({ type: z.string(), count })).describe('Most frequent first'),
  lastFailure: z.object({ at: isoTime, type: z.string(), message: z.string() }).optional(),
  durationMs: z
    .object({ p50: z.number(), p95: z.number() })
    .optional()
    .describe('Duration percentiles, within 2%'),
  byType: z.object({
    workflow: z.record(z.string(), runCount),
    activity: z.record(z.string(), runCount),
  }),
  handling: z.record(z.string(), runCount).describe('Per handling label; "default" when none was recorded'),
  versions: z
    .array(runCount.extend({ version: z.string(), firstSeen: isoTime }))
    .describe('In the order they first appeared'),
  regression: regression
    .optional()
    .describe('The latest version that fails clearly more than the one before'),
  unhandled: z.object({
    runs: count,
    failures: count,
    recurring: z.boolean().describe('Whether the failures happened at two different event times at least'),
    byActivityType: z.record(z.string(), z.object({ runs: count, failures: count })),
  }),
});

/** `outcome_insights`: the project's base counts, and one key's insights per key asked, in order. */
export const outcomeInsightsOutput = z.object({
  base: z.object({ runs: count, failures: count }).describe('Every outcome counted in the project, once'),
  insights: z.array(keyInsightsSchema),
});
