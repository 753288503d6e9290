import { flagValue, parseRunFlags, type RunFlags } from '../shared/run-flags';

/** What a `bench:memory` run measures, from its arguments and environment. */
export interface BenchOptions extends RunFlags {
  /** Corpus sizes, ascending. */
  sizes: number[];
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
}

const QUICK: BenchCounts = {
  sequentialLocks: 200,
  concurrentLocks: 400,
  leanRuns: 1,
  directLocks: 300,
  batches: 5,
  searches: 60,
};
const FULL: BenchCounts = {
  sequentialLocks: 1000,
  concurrentLocks: 2000,
  leanRuns: 3,
  directLocks: 2000,
  batches: 20,
  searches: 300,
};

/** Calls made before timing starts, so caches, JIT and connections are warm. */
export const WARM_UP_CALLS = 20;

/**
 * Reads `--sizes 10000,100000` (or `BENCH_SIZES`) and the flags every benchmark takes (`--quick`,
 * `--no-record`, `--wait-quiet <minutes>`). Throws on sizes outside 100 to 1,000,000 and on a wait
 * outside 0 to 120 minutes.
 */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = parseRunFlags(argv, env);
  const sizesText = flagValue(argv, '--sizes', env.BENCH_SIZES);
  const sizes = sizesText
    ? sizesText.split(',').map((s) => Number(s.replace(/_/g, '')))
    : flags.quick
      ? [2_000, 10_000]
      : [10_000, 100_000];
  if (sizes.some((s) => !Number.isInteger(s) || s < 100 || s > 1_000_000)) {
    throw new Error(
      `--sizes takes sizes from 100 to 1,000,000 contexts, e.g. 10000,100000 (got ${sizesText})`,
    );
  }
  sizes.sort((a, b) => a - b);
  return { ...flags, sizes, counts: flags.quick ? QUICK : FULL };
}
