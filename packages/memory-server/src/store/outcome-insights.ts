import {
  DEFAULT_INSIGHT_SETTINGS,
  keyInsightsOfSums,
  type BaseCounts,
  type KeyInsights,
  type SummedKeyCounts,
} from '@temporal-stompy/insights';
import type { Database } from 'better-sqlite3';
import { invalidInput } from './errors';
import { validateKeys } from './outcome-input';
import { prepareReadSummedCounts } from './read-summed-counts';
import type { StoreSettings } from './settings';
import { validateProject } from './validation';

/** Most keys one `outcome_insights` call may ask about. */
export const MAX_INSIGHT_KEYS = 50;
/** Longest half-life of the evidence behind time patterns, in days (ten years). */
export const MAX_HALF_LIFE_DAYS = 3650;

/** Arguments of `outcome_insights`. */
export interface OutcomeInsightsInput {
  /** 1 to {@link MAX_INSIGHT_KEYS} keys, such as `customer:C9` or `activity:chargePayment`. */
  keys: readonly string[];
  project?: string;
  /** Half-life of the evidence behind time patterns, in days: over 0, at most 3650; default 28. */
  half_life_days?: number;
}

/** Result of `outcome_insights`: the project's base counts, and one key's insights per key asked. */
export interface OutcomeInsightsResult {
  /** Every outcome counted in the project, each once. */
  readonly base: BaseCounts;
  /** In the order of the keys asked; a key without outcomes gets the insights of no outcomes. */
  readonly insights: readonly KeyInsights[];
}

/**
 * Prepares `outcome_insights`, this server's extra: what the memory learned about each key, computed
 * exactly by `keyInsightsOfSums` of `@temporal-stompy/insights` from the counts over the key's whole
 * history, summed by SQLite (see `read-summed-counts.ts`), all read in one transaction.
 */
export function prepareOutcomeInsights(
  db: Database,
  settings: StoreSettings,
): (input: OutcomeInsightsInput) => OutcomeInsightsResult {
  const { baseCounts, keySums } = prepareReadSummedCounts(db);
  const read = db.transaction(({ project, keys, halfLifeDays }: InsightsRequest) =>
    insightsResult(baseCounts(project), keys, (key) => keySums(project, key, halfLifeDays)),
  );
  return (input) => read(insightsRequest(input, settings));
}

/** A checked `outcome_insights`: project, keys (1 to 50) and half-life in days. */
export interface InsightsRequest {
  readonly project: string;
  readonly keys: readonly string[];
  readonly halfLifeDays: number;
}

/** Checks `outcome_insights`'s arguments. */
export function insightsRequest(input: OutcomeInsightsInput, settings: StoreSettings): InsightsRequest {
  const keys = validateKeys(input.keys, MAX_INSIGHT_KEYS, 'keys');
  const project = validateProject(input.project, settings.defaultProject);
  return { project, keys, halfLifeDays: validateHalfLife(input.half_life_days) };
}

/**
 * `outcome_insights`' result: each key's insights, computed exactly by `keyInsightsOfSums` from its
 * summed counts (`sumsOf`, read once per distinct key) against the project's base counts.
 */
export function insightsResult(
  base: BaseCounts,
  keys: readonly string[],
  sumsOf: (key: string) => SummedKeyCounts,
): OutcomeInsightsResult {
  const byKey = new Map<string, KeyInsights>();
  const insights = keys.map((key) => {
    const known = byKey.get(key);
    if (known !== undefined) return known;
    const computed = asSent(keyInsightsOfSums(sumsOf(key), base, { exact: true }));
    byKey.set(key, computed);
    return computed;
  });
  return { base, insights };
}

/**
 * Insights as a client reads them: the fields that are undefined (no last failure, no durations, no
 * regression) left out, as JSON leaves them out, so the in-process runner answers what MCP sends.
 */
function asSent(insights: KeyInsights): KeyInsights {
  const fields = Object.entries(insights).filter(([, value]) => value !== undefined);
  return Object.freeze(Object.fromEntries(fields)) as unknown as KeyInsights;
}

/** Returns a half-life in days, the default when none is given; throws outside (0, 3650]. */
function validateHalfLife(days: number | undefined): number {
  if (days === undefined) return DEFAULT_INSIGHT_SETTINGS.halfLifeDays;
  if (typeof days !== 'number' || !(days > 0 && days <= MAX_HALF_LIFE_DAYS)) {
    throw invalidInput('half_life_days', `must be a number of days over 0 and at most ${MAX_HALF_LIFE_DAYS}`);
  }
  return days;
}
