import { countFlag, flagValue, parseRunFlags, type RunFlags } from '../shared/run-flags';
import type { StoreCounts } from './store-round';

/** What a `bench:memory` run measures, from its arguments and environment. */
export interface BenchOptions extends RunFlags {
  /** Corpus sizes of the SQLite section, ascending (empty: skip it). */
  sizes: number[];
  /** Outcome counts the stores section (SQLite and PostgreSQL) is measured at, ascending (empty: skip it). */
  outcomeSizes: number[];
  /** How many calls each measurement of the SQLite section makes. */
  counts: BenchCounts;
  /** How many rounds and calls the stores section makes. */
  storeCounts: StoreCounts;
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
const QUICK_STORES: StoreCounts = {
  rounds: 2,
  locks: 400,
  lockClients: 16,
  batches: 10,
  batchClients: 4,
  searches: 30,
  insightCalls: 30,
  pageLoads: 3,
};
const FULL_STORES: StoreCounts = {
  rounds: 3,
  locks: 2000,
  lockClients: 16,
  batches: 40,
  batchClients: 4,
  searches: 100,
  insightCalls: 100,
  pageLoads: 10,
};

/** Calls made before timing starts, so caches, JIT and connections are warm. */
export const WARM_UP_CALLS = 20;

/**
 * Reads `--sizes 10000,100000` (or `BENCH_SIZES`), `--outcome-sizes 100000,1000000` (or
 * `BENCH_OUTCOME_SIZES`; `--insights-sizes` and `BENCH_INSIGHTS_SIZES` are older names), `none` for
 * either to skip its section, `--rounds 3` (or `BENCH_ROUNDS`) and the flags every benchmark takes
 * (`--quick`, `--no-record`, `--wait-quiet <minutes>`). Throws on sizes outside 100 to 1,000,000, on
 * rounds outside 1 to 20 and on a wait outside 0 to 120 minutes.
 */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = parseRunFlags(argv, env);
  const sizes = sizesFlag(
    argv,
    '--sizes',
    env.BENCH_SIZES,
    flags.quick ? [2_000, 10_000] : [10_000, 100_000],
  );
  const outcomeSizes = sizesFlag(
    argv,
    '--outcome-sizes',
    flagValue(argv, '--insights-sizes', env.BENCH_OUTCOME_SIZES ?? env.BENCH_INSIGHTS_SIZES),
    flags.quick ? [10_000] : [100_000, 1_000_000],
  );
  const stores = flags.quick ? QUICK_STORES : FULL_STORES;
  const rounds = countFlag(argv, '--rounds', stores.rounds, { min: 1, max: 20 }, env.BENCH_ROUNDS);
  return {
    ...flags,
    sizes,
    outcomeSizes,
    counts: flags.quick ? QUICK : FULL,
    storeCounts: { ...stores, rounds },
  };
}

/** Sizes from `--name 10000,100000` (or `fallback`), ascending; `byDefault` when absent; none for `none`. */
function sizesFlag(
  argv: readonly string[],
  name: string,
  fallback: string | undefined,
  byDefault: number[],
): number[] {
  const text = flagValue(argv, name, fallback);
  if (text === 'none') return [];
  const sizes = text ? text.split(',').map((s) => Number(s.replace(/_/g, ''))) : byDefault;
  if (sizes.some((s) => !Number.isInteger(s) || s < 100 || s > 1_000_000)) {
    throw new Error(`${name} takes sizes from 100 to 1,000,000, e.g. 10000,100000, or none (got ${text})`);
  }
  return sizes.sort((a, b) => a - b);
}
