// The demo's flags: sizes and seed of the simulation, whether to record the figures, and whether to
// keep the dev server, its Web UI and the memory's web page running afterwards.
import { DEFAULT_SIMULATION, type SimulationOptions } from './simulation-plan';

/** The demo's options, from its command line. */
export interface DemoOptions {
  readonly simulation: SimulationOptions;
  /** Write the figures into docs/learning.md (default true; `--no-record` turns it off). */
  readonly record: boolean;
  /**
   * Keep the dev server (with its Temporal Web UI) and the memory's web page running after the report,
   * until Ctrl-C (`--keep-running`; default false).
   */
  readonly keepRunning: boolean;
}

const NUMBER_FLAGS: Readonly<Record<string, keyof SimulationOptions>> = {
  '--seed': 'seed',
  '--weeks': 'weeks',
  '--orders-per-hour': 'ordersPerHour',
  '--customers': 'customers',
  '--warm-up-weeks': 'warmUpWeeks',
  '--new-build-at-week': 'newBuildAtWeek',
};

/** Reads `--seed 7 --weeks 6 ...`; throws a usage message for anything else. */
export function parseDemoOptions(args: readonly string[]): DemoOptions {
  const simulation: Record<keyof SimulationOptions, number> = { ...DEFAULT_SIMULATION };
  let record = true;
  let keepRunning = false;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] ?? '';
    if (flag === '--no-record' || flag === '--keep-running') {
      if (flag === '--no-record') record = false;
      else keepRunning = true;
      continue;
    }
    const field = NUMBER_FLAGS[flag];
    const value = Number(args[i + 1]);
    if (!field || !Number.isFinite(value) || value < 0) throw new Error(usage(flag));
    simulation[field] = value;
    i += 1;
  }
  if (simulation.weeks <= simulation.warmUpWeeks)
    throw new Error('--weeks must be more than --warm-up-weeks');
  return { simulation, record, keepRunning };
}

function usage(flag: string): string {
  return (
    `unknown or bad flag ${flag}; flags: ${Object.keys(NUMBER_FLAGS).join(' <n>, ')} <n>, --no-record, --keep-running ` +
    `(defaults: ${JSON.stringify(DEFAULT_SIMULATION)})`
  );
}
