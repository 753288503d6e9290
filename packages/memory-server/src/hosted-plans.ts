/**
 * Hosted Stompy's plans and their MCP rate limits per token: calls per minute and calls per 10 seconds
 * (burst), both enforced. Source: the tier table of hosted Stompy's `src/middleware/rate_limit.py`, as
 * its developer notes give it (`banton/stompy-benchmark`, `configs/phase2/file-condition/MEMORY.md`,
 * section "Rate Limiting").
 */
export const HOSTED_PLANS = {
  free: { perMinute: 60, burstPer10s: 20 },
  beta: { perMinute: 60, burstPer10s: 20 },
  pro: { perMinute: 180, burstPer10s: 45 },
  enterprise: { perMinute: 300, burstPer10s: 75 },
  admin: { perMinute: 600, burstPer10s: 150 },
} as const satisfies Record<string, { readonly perMinute: number; readonly burstPer10s: number }>;

/** The name of a hosted Stompy plan: `free`, `beta`, `pro`, `enterprise` or `admin`. */
export type HostedPlan = keyof typeof HOSTED_PLANS;

/** Every plan name, in the order of {@link HOSTED_PLANS}. */
export const HOSTED_PLAN_NAMES = Object.keys(HOSTED_PLANS) as readonly HostedPlan[];

/** The plan the hosted profile emulates when none is named. */
export const DEFAULT_HOSTED_PLAN: HostedPlan = 'free';

/** Whether `name` names a hosted plan. */
export function isHostedPlan(name: string): name is HostedPlan {
  return Object.prototype.hasOwnProperty.call(HOSTED_PLANS, name);
}
