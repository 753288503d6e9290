import { countFlag, parseRunFlags, type RunFlags } from '../shared/run-flags';

/** What a `bench:plugin` run measures, from its arguments and environment. */
export interface PluginBenchOptions extends RunFlags {
  /** Rounds; each measures every configuration once, in a rotating order. */
  rounds: number;
  /** Workflows (3 activities each) per configuration and round. */
  workflows: number;
  /** Workflows the client keeps running at once. */
  concurrency: number;
  /** Workflows per StompyPlugin configuration and round with a first-seen customer, for the cold-key latency. */
  coldWorkflows: number;
  /** Workflows each worker runs before the first round (JIT, caches, connections). */
  warmUpWorkflows: number;
  /** Before each measured batch, how long to wait at most for other processes to quieten down; 0: do not wait. */
  quietGateSeconds: number;
}

/**
 * Reads `--rounds` (default 5, quick 2), `--workflows` (300, quick 40), `--concurrency` (20),
 * `--cold` (60, quick 10), `--warm-up` (60, quick 10), `--quiet-gate <seconds>` (120, quick 0) and the
 * flags every benchmark takes
 * (`--quick`, `--no-record`, `--wait-quiet <minutes>`).
 */
export function parsePluginBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): PluginBenchOptions {
  const flags = parseRunFlags(argv, env);
  const q = flags.quick;
  return {
    ...flags,
    rounds: countFlag(argv, '--rounds', q ? 2 : 5, { min: 1, max: 20 }),
    workflows: countFlag(argv, '--workflows', q ? 40 : 300, { min: 10, max: 10_000 }),
    concurrency: countFlag(argv, '--concurrency', 20, { min: 1, max: 200 }),
    coldWorkflows: countFlag(argv, '--cold', q ? 10 : 60, { min: 0, max: 10_000 }),
    warmUpWorkflows: countFlag(argv, '--warm-up', q ? 10 : 60, { min: 0, max: 10_000 }),
    quietGateSeconds: countFlag(argv, '--quiet-gate', q ? 0 : 120, { min: 0, max: 3_600 }),
  };
}
