import { z } from 'zod';
import { MAX_HALF_LIFE_DAYS, MAX_INSIGHT_KEYS } from '../store/outcome-insights';
import { outcomeInsightsOutput } from './insights-output-schema';
import { defineTool, withoutNulls } from './tool-definition';

/**
 * `outcome_insights`, this server's extra: what the memory learned about keys, exactly, over every
 * outcome recorded with `lock_context_batch`. The plugin finds it with `tools/list`.
 */
export const OUTCOME_INSIGHTS_TOOL = defineTool({
  name: 'outcome_insights',
  title: 'What the memory learned about keys',
  description:
    `For 1 to ${MAX_INSIGHT_KEYS} keys (customer:C9, activity:chargePayment, ...), what the memory learned from every ` +
    'outcome recorded under them with lock_context_batch: runs, failures and smoothed rates, hour-of-week windows and ' +
    'failure patterns, common issues, the last failure, duration percentiles, runs per type, handling label and worker ' +
    'version, and a version regression. Exact, over the whole history. Returns {base: {runs, failures}, insights: [...]}, ' +
    'one entry per key in order. Counts as one call against the rate limit.',
  inputSchema: z.object({
    keys: z.array(z.string()).describe(`1 to ${MAX_INSIGHT_KEYS} keys`),
    project: z.string().nullish().describe("Default: the server's default project"),
    half_life_days: z
      .number()
      .nullish()
      .describe(
        `Half-life of the evidence behind time patterns, in days of event time: over 0, at most ${MAX_HALF_LIFE_DAYS}; default 28`,
      ),
  }),
  outputSchema: outcomeInsightsOutput,
  annotations: { readOnlyHint: true },
  writes: false,
  run: (store, args) => store.insights(withoutNulls(args)),
});
