import { HOSTED_PLAN_NAMES, type HostedPlan } from '@temporal-stompy/memory-server';
import { countFlag, flagValue, parseRunFlags, type RunFlags } from '../shared/run-flags';

/** What a `bench:hosted` run does, from its arguments and environment. */
export interface HostedBenchOptions extends RunFlags {
  /** Workflows (4 outcomes each) per plan. */
  workflows: number;
  /** Customers the workflows are spread over (`C0`, `C1`, ...). */
  customers: number;
  /** Workflows the client keeps running at once, per plan. */
  concurrency: number;
  /** Minutes the outbox has to drain after a plan's last workflow finished: the target. */
  drainLimitMinutes: number;
  /** The hosted plans run side by side, each with its own server and worker. */
  plans: HostedPlan[];
}

/** The plans issue 10 asks for: 60/min (free), 180/min (pro), 300/min (enterprise). */
export const DEFAULT_PLANS: readonly HostedPlan[] = ['free', 'pro', 'enterprise'];

/**
 * Reads `--workflows` (default 5,000, quick 300), `--customers` (200), `--concurrency` (20),
 * `--drain-limit <minutes>` (10), `--plans free,pro,enterprise` and the flags every benchmark takes
 * (`--quick`, `--no-record`, `--wait-quiet <minutes>`).
 */
export function parseHostedBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): HostedBenchOptions {
  const flags = parseRunFlags(argv, env);
  const plans = (flagValue(argv, '--plans') ?? DEFAULT_PLANS.join(',')).split(',').map((p) => p.trim());
  const unknown = plans.filter((p) => !HOSTED_PLAN_NAMES.includes(p as HostedPlan));
  if (unknown.length > 0 || plans.length === 0) {
    throw new Error(
      `--plans takes plan names among ${HOSTED_PLAN_NAMES.join(', ')} (got ${plans.join(',')})`,
    );
  }
  return {
    ...flags,
    workflows: countFlag(argv, '--workflows', flags.quick ? 300 : 5_000, { min: 1, max: 100_000 }),
    customers: countFlag(argv, '--customers', 200, { min: 1, max: 100_000 }),
    concurrency: countFlag(argv, '--concurrency', 20, { min: 1, max: 200 }),
    drainLimitMinutes: countFlag(argv, '--drain-limit', 10, { min: 1, max: 120 }),
    plans: [...new Set(plans as HostedPlan[])],
  };
}
