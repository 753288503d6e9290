import type { z } from 'zod';
import type { StoreErrorCode } from '../store/errors';
import type { LockContextBatchResult } from '../store/lock-context-batch';
import type { OutcomeInsightsResult } from '../store/outcome-insights';
import type {
  ContextDashboardResult,
  ContextExploreResult,
  ContextSearchResult,
  LockContextResult,
  RecallBatchResult,
  RecallContextResult,
  UnlockContextResult,
} from '../store/types';
import type {
  contextDashboardOutput,
  contextExploreOutput,
  contextSearchBatchOutput,
  contextSearchOutput,
  lockContextBatchOutput,
  lockContextOutput,
  recallBatchOutput,
  recallContextOutput,
  unlockContextOutput,
} from '../tools/tool-output-schemas';
import type { outcomeInsightsOutput } from '../tools/insights-output-schema';

// The tools send the store's results unchanged, so each outputSchema must describe its result type.
// Each entry below compiles only while the schema's output type and the store's result type are
// assignable to each other: a field added to one and not the other fails the type check.

/** `true` when `A` and `B` are assignable to each other, else `false`. */
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** What JSON makes of `T`: arrays no longer readonly, and properties that may be undefined optional. */
type OverTheWire<T> = T extends readonly (infer E)[]
  ? OverTheWire<E>[]
  : T extends object
    ? Flat<
        { [K in keyof T as undefined extends T[K] ? never : K]: OverTheWire<T[K]> } & {
          [K in keyof T as undefined extends T[K] ? K : never]?: OverTheWire<Exclude<T[K], undefined>>;
        }
      >
    : T;
type Flat<T> = { [K in keyof T]: T[K] };

const SCHEMAS_DESCRIBE_STORE_RESULTS = {
  lock_context: true satisfies SameShape<z.output<typeof lockContextOutput>, LockContextResult>,
  lock_context_batch: true satisfies SameShape<
    z.output<typeof lockContextBatchOutput>,
    LockContextBatchResult
  >,
  recall_context: true satisfies SameShape<z.output<typeof recallContextOutput>, RecallContextResult>,
  recall_batch: true satisfies SameShape<z.output<typeof recallBatchOutput>, RecallBatchResult>,
  unlock_context: true satisfies SameShape<z.output<typeof unlockContextOutput>, UnlockContextResult>,
  context_search: true satisfies SameShape<z.output<typeof contextSearchOutput>, ContextSearchResult>,
  context_search_batch: true satisfies SameShape<
    z.output<typeof contextSearchBatchOutput>,
    {
      results: (
        ContextSearchResult | ({ error: StoreErrorCode; message: string } & Record<string, unknown>)
      )[];
    }
  >,
  context_explore: true satisfies SameShape<z.output<typeof contextExploreOutput>, ContextExploreResult>,
  context_dashboard: true satisfies SameShape<
    z.output<typeof contextDashboardOutput>,
    ContextDashboardResult
  >,
  outcome_insights: true satisfies SameShape<
    z.output<typeof outcomeInsightsOutput>,
    OverTheWire<OutcomeInsightsResult>
  >,
};

describe('tool output schemas', () => {
  it("describe the store's result types, for every tool (checked when this file compiles)", () => {
    expect(Object.keys(SCHEMAS_DESCRIBE_STORE_RESULTS)).toHaveLength(10);
  });
});
