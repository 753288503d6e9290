import { countFlag, flagValue, parseRunFlags, type RunFlags } from '../shared/run-flags';
import { CONFIGURATIONS, type Configuration } from '../plugin/worker-protocol';

/** What a `bench:plugin:profile` run profiles, from its arguments and environment. */
export interface ProfileOptions extends RunFlags {
  /** The configurations whose workers are profiled, one after the other. */
  configurations: Configuration[];
  /** Workflows each profiled worker runs while its profile counts. */
  workflows: number;
  concurrency: number;
  /** Workflows each worker runs before the profiled stretch. */
  warmUpWorkflows: number;
  /** Functions listed per configuration. */
  top: number;
  /** Before each profiled stretch, how long to wait at most for other processes to quieten down. */
  quietGateSeconds: number;
  /** A folder to keep the `.cpuprofile` files in (for Chrome DevTools); undefined: they are deleted. */
  keepIn: string | undefined;
}

/**
 * Reads `--configs embedded,http` (any of without, embedded, http, otel), `--workflows` (default 600,
 * quick 60), `--concurrency` (20), `--warm-up` (60, quick 10), `--top` (25), `--quiet-gate <seconds>`
 * (120, quick 0), `--keep-profiles <folder>` and the flags every benchmark takes.
 */
export function parseProfileOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ProfileOptions {
  const flags = parseRunFlags(argv, env);
  const names = (flagValue(argv, '--configs') ?? 'embedded,http').split(',');
  const unknown = names.filter((n) => !CONFIGURATIONS.includes(n as Configuration));
  if (unknown.length > 0)
    throw new Error(`--configs takes ${CONFIGURATIONS.join(', ')} (got ${unknown.join(', ')})`);
  return {
    ...flags,
    configurations: names as Configuration[],
    workflows: countFlag(argv, '--workflows', flags.quick ? 60 : 600, { min: 10, max: 100_000 }),
    concurrency: countFlag(argv, '--concurrency', 20, { min: 1, max: 200 }),
    warmUpWorkflows: countFlag(argv, '--warm-up', flags.quick ? 10 : 60, { min: 0, max: 10_000 }),
    top: countFlag(argv, '--top', 25, { min: 5, max: 200 }),
    quietGateSeconds: countFlag(argv, '--quiet-gate', flags.quick ? 0 : 120, { min: 0, max: 3_600 }),
    keepIn: flagValue(argv, '--keep-profiles'),
  };
}
