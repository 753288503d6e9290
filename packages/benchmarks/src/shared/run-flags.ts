/** The flags every benchmark takes, from its arguments or its environment. */
export interface RunFlags {
  /** Smaller counts, for a smoke run (`--quick`, `BENCH_QUICK=1`). */
  quick: boolean;
  /** Write the figures into docs/benchmarks.md (`--no-record`, `BENCH_RECORD=0`: print only). */
  record: boolean;
  /** Minutes to wait for a quiet machine before measuring (`--wait-quiet <minutes>`, `BENCH_WAIT_QUIET`); 0: do not wait. */
  waitQuietMinutes: number;
}

/** The text after `--name` in `argv`, else `fallback` (usually an environment variable). */
export function flagValue(argv: readonly string[], name: string, fallback?: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : fallback;
}

/** A whole number from `--name` (or `fallback`), `byDefault` when absent; throws outside `min` to `max`. */
export function countFlag(
  argv: readonly string[],
  name: string,
  byDefault: number,
  range: { min: number; max: number },
  fallback?: string,
): number {
  const text = flagValue(argv, name, fallback);
  if (text === undefined) return byDefault;
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new Error(`${name} takes a whole number from ${range.min} to ${range.max} (got ${text})`);
  }
  return value;
}

/** Reads `--quick`, `--no-record` and `--wait-quiet <minutes>` (0 to 120); throws on a bad wait. */
export function parseRunFlags(argv: readonly string[], env: NodeJS.ProcessEnv): RunFlags {
  const waitText = flagValue(argv, '--wait-quiet', env.BENCH_WAIT_QUIET);
  const waitQuietMinutes = waitText === undefined ? 0 : Number(waitText);
  if (!(waitQuietMinutes >= 0 && waitQuietMinutes <= 120)) {
    throw new Error(`--wait-quiet takes minutes from 0 to 120, e.g. 20 (got ${waitText})`);
  }
  return {
    quick: argv.includes('--quick') || env.BENCH_QUICK === '1',
    record: !argv.includes('--no-record') && env.BENCH_RECORD !== '0',
    waitQuietMinutes,
  };
}
