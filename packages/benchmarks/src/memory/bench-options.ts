import { flagValue, parseRunFlags, type RunFlags } from '../shared/run-flags';

/** What a `bench:memory` run measures, from its arguments and environment. */
export interface BenchOptions extends RunFlags {
  /** Corpus sizes, ascending. */
  sizes: number[];
  /** Outcome counts the insights section is measured at, ascending. */
  insightsSizes: number[];
  /** How many calls each measurement makes. */
  counts: BenchCounts;
}

/** Calls per measurement. */
export interface BenchCounts {
  /** `lock_context` calls of one SDK client. */
  sequentialLocks: number;
  /** `lock_context` calls shared by 8 clients. */
  concurrentLocks: number;
  /** Runs of the 8 lean clients; the best counts. */
  leanRuns: number;
  /** `lock` calls made on the store directly. */
  directLocks: number;
  /** `lock_context_batch` calls of 100 contexts. */
  batches: number;
  /** Timed searches per search shape and client. */
  searches: number;
  /** Timed `outcome_insights` calls per key kind and client. */
  insightCalls: number;
}

const QUICK: BenchCounts = {
  sequentialLocks: 200,
  concurrentLocks: 400,
  leanRuns: 1,
  directLocks: 300,
  batches: 5,
  searches: 60,
  insightCalls: 60,
};
const FULL: BenchCounts = {
  sequentialLocks: 1000,
  concurrentLocks: 2000,
  leanRuns: 3,
  directLocks: 2000,
  batches: 20,
  searches: 300,
  insightCalls: 200,
};

/** Calls made before timing starts, so caches, JIT and connections are warm. */
export const WARM_UP_CALLS = 20;

/**
 * Reads `--sizes 10000,100000` (or `BENCH_SIZES`), `--insights-sizes 100000,1000000` (or
 * `BENCH_INSIGHTS_SIZES`) and the flags every benchmark takes (`--quick`, `--no-record`,
 * `--wait-quiet <minutes>`). Throws on sizes outside 100 to 1,000,000 and on a wait outside 0 to 120
 * minutes.
 */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = parseRunFlags(argv, env);
  const sizes = sizesFlag(
    argv,
    '--sizes',
    env.BENCH_SIZES,
    flags.quick ? [2_000, 10_000] : [10_000, 100_000],
  );
  const insightsSizes = sizesFlag(
    argv,
    '--insights-sizes',
    env.BENCH_INSIGHTS_SIZES,
    flags.quick ? [10_000] : [100_000, 1_000_000],
  );
  return { ...flags, sizes, insightsSizes, counts: flags.quick ? QUICK : FULL };
}

/** Sizes from `--name 10000,100000` (or `fallback`), ascending; `byDefault` when absent. */
function sizesFlag(
  argv: readonly string[],
  name: string,
  fallback: string | undefined,
  byDefault: number[],
): number[] {
  const text = flagValue(argv, name, fallback);
  const sizes = text ? text.split(',').map((s) => Number(s.replace(/_/g, ''))) : byDefault;
  if (sizes.some((s) => !Number.isInteger(s) || s < 100 || s > 1_000_000)) {
    throw new Error(`${name} takes sizes from 100 to 1,000,000, e.g. 10000,100000 (got ${text})`);
  }
  return sizes.sort((a, b) => a - b);
}
