import type { BaseCounts, KeyInsights } from '@temporal-stompy/insights';
import type { Logger } from 'pino';
import type { MemoryStore } from '../store/memory-store';
import type { PageFrame } from './page-layout';

/** What every page is drawn from: the store, the frame (project), the Temporal UI address and the clock. */
export interface PageContext {
  readonly store: MemoryStore;
  readonly frame: PageFrame;
  /** The Temporal Web UI's address, for links to runs. */
  readonly temporalUiUrl: string;
  readonly now: () => number;
  readonly logger: Logger;
}

/** One answer of the page: HTML, a style sheet or a script, with its status. */
export interface PageAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request of the page: its path and query. */
export interface PageRequest {
  readonly path: string;
  readonly query: URLSearchParams;
}

/** `outcome_insights` allows 50 keys a call. */
const INSIGHT_KEYS_PER_CALL = 50;

/**
 * The insights of many keys (in calls of 50), in the order asked, and the project's base counts: the
 * numbers `outcome_insights` returns. No keys: no insights, and base counts of none.
 */
export async function insightsOf(
  ctx: PageContext,
  keys: readonly string[],
): Promise<{ base: BaseCounts; insights: KeyInsights[] }> {
  let base: BaseCounts = { runs: 0, failures: 0 };
  const insights: KeyInsights[] = [];
  for (let from = 0; from < keys.length; from += INSIGHT_KEYS_PER_CALL) {
    const result = await ctx.store.insights({
      keys: keys.slice(from, from + INSIGHT_KEYS_PER_CALL),
      project: ctx.frame.project,
    });
    base = result.base;
    insights.push(...result.insights);
  }
  return { base, insights };
}

/** The insights of one key (which the store checks: a bad key is refused with its reason). */
export async function insightsOfKey(ctx: PageContext, key: string): Promise<KeyInsights> {
  const [found] = (await insightsOf(ctx, [key])).insights;
  if (found === undefined) throw new Error('outcome_insights answered no key');
  return found;
}

/** A query parameter as a non-negative integer, or undefined when absent or not one. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || !/^\d{1,9}$/.test(text)) return undefined;
  return Number(text);
}
