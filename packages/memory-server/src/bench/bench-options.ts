/** What a `bench:memory` run measures, from its arguments and environment. */
export interface BenchOptions {
  /** Corpus sizes, ascending. */
  sizes: number[];
  /** Smaller counts, for a smoke run. */
  quick: boolean;
  /** Write the figures into docs/benchmarks.md. */
  record: boolean;
  /** Minutes to wait for a quiet machine (1-minute load under 0.8) before measuring; 0: do not wait. */
  waitQuietMinutes: number;
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

/**
 * Reads `--sizes 10000,100000` (or `BENCH_SIZES`), `--quick` (`BENCH_QUICK=1`), `--no-record`
 * (`BENCH_RECORD=0`) and `--wait-quiet <minutes>` (`BENCH_WAIT_QUIET`). Throws on sizes outside 100 to
 * 1,000,000 and on a wait outside 0 to 120 minutes.
 */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const quick = argv.includes('--quick') || env.BENCH_QUICK === '1';
  const at = argv.indexOf('--sizes');
  const sizesText = at >= 0 ? argv[at + 1] : env.BENCH_SIZES;
  const sizes = sizesText
    ? sizesText.split(',').map((s) => Number(s.replace(/_/g, '')))
    : quick
      ? [2_000, 10_000]
      : [10_000, 100_000];
  if (sizes.some((s) => !Number.isInteger(s) || s < 100 || s > 1_000_000)) {
    throw new Error(
      `--sizes takes sizes from 100 to 1,000,000 contexts, e.g. 10000,100000 (got ${sizesText})`,
    );
  }
  sizes.sort((a, b) => a - b);
  const record = !argv.includes('--no-record') && env.BENCH_RECORD !== '0';
  const waitAt = argv.indexOf('--wait-quiet');
  const waitText = waitAt >= 0 ? argv[waitAt + 1] : env.BENCH_WAIT_QUIET;
  const waitQuietMinutes = waitText === undefined ? 0 : Number(waitText);
  if (!(waitQuietMinutes >= 0 && waitQuietMinutes <= 120)) {
    throw new Error(`--wait-quiet takes minutes from 0 to 120, e.g. 20 (got ${waitText})`);
  }
  return { sizes, quick, record, waitQuietMinutes, counts: quick ? QUICK : FULL };
}
