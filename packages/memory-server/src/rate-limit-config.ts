import {
  DEFAULT_HOSTED_PLAN,
  HOSTED_PLAN_NAMES,
  HOSTED_PLANS,
  isHostedPlan,
  type HostedPlan,
} from './hosted-plans';

/** The rate-limit fields of a memory server configuration, as given. */
export interface RateLimitConfig {
  /**
   * Hosted Stompy plan whose limits apply (`free` 60/min + 20/10 s, `beta` the same, `pro` 180 + 45,
   * `enterprise` 300 + 75, `admin` 600 + 150); hosted default `free`, local default none.
   */
  plan?: string;
  /** Calls per minute per caller (overrides the plan's); `null`: no rate limit at all. */
  rateLimitPerMinute?: number | null;
  /** Calls per 10 seconds per caller (overrides the plan's); `null`: no burst cap. */
  burstPer10s?: number | null;
  /** Windows aligned on the epoch (`fixed`, hosted default) or any span (`sliding`, local default). */
  rateLimitWindow?: 'fixed' | 'sliding';
  /**
   * What counts: every HTTP request to `/mcp`, `/sse`, `/messages` and `/api/v1`, answered with HTTP
   * 429 over the limit (`request`, hosted default, as hosted Stompy's middleware does), or each tool
   * call, refused with an `isError` result (`tool-call`, local default). Without HTTP (in process,
   * stdio), tool calls count either way.
   */
  rateLimitScope?: 'request' | 'tool-call';
}

/** The rate-limit fields of a resolved configuration. */
export interface ResolvedRateLimit {
  /** The plan the limits come from; `null` when none was named (local profile). */
  readonly plan: HostedPlan | null;
  /** `null`: no per-minute cap. */
  readonly rateLimitPerMinute: number | null;
  /** `null`: no burst cap. */
  readonly burstPer10s: number | null;
  readonly rateLimitWindow: 'fixed' | 'sliding';
  readonly rateLimitScope: 'request' | 'tool-call';
}

/**
 * Resolves the rate-limit fields for a profile: the plan's numbers, overridden by explicit ones. A
 * per-minute cap given alone lowers the plan's burst to it when the burst would be larger; a burst
 * given larger than the per-minute cap is refused. Throws with the field and what it accepts.
 */
export function resolveRateLimit(
  config: RateLimitConfig,
  hosted: boolean,
  fail: (message: string) => Error,
): ResolvedRateLimit {
  const plan = resolvePlan(config.plan, hosted, fail);
  const base = plan === null ? { perMinute: null, burstPer10s: null } : HOSTED_PLANS[plan];
  const perMinuteGiven = config.rateLimitPerMinute;
  const burstGiven = config.burstPer10s;
  const perMinute =
    perMinuteGiven === undefined
      ? base.perMinute
      : perMinuteGiven === null
        ? null
        : positiveInteger('rateLimitPerMinute', perMinuteGiven, fail);
  let burst: number | null;
  if (burstGiven !== undefined) {
    burst = burstGiven === null ? null : positiveInteger('burstPer10s', burstGiven, fail);
    if (burst !== null && perMinute !== null && burst > perMinute) {
      throw fail(
        `burstPer10s (--burst-per-10s) is ${burst}, larger than the per-minute cap ${perMinute} (rateLimitPerMinute, --rate-per-minute, or the plan's): a burst is part of the minute's calls; lower the burst or raise the per-minute cap`,
      );
    }
  } else if (perMinuteGiven === null) {
    burst = null; // the rate limit is turned off
  } else {
    burst =
      base.burstPer10s === null || perMinute === null
        ? base.burstPer10s
        : Math.min(base.burstPer10s, perMinute);
  }
  return {
    plan,
    rateLimitPerMinute: perMinute,
    burstPer10s: burst,
    rateLimitWindow: oneOf(
      'rateLimitWindow',
      config.rateLimitWindow,
      ['fixed', 'sliding'],
      hosted ? 'fixed' : 'sliding',
      fail,
    ),
    rateLimitScope: oneOf(
      'rateLimitScope',
      config.rateLimitScope,
      ['request', 'tool-call'],
      hosted ? 'request' : 'tool-call',
      fail,
    ),
  };
}

function resolvePlan(
  given: string | undefined,
  hosted: boolean,
  fail: (m: string) => Error,
): HostedPlan | null {
  if (given === undefined) return hosted ? DEFAULT_HOSTED_PLAN : null;
  if (typeof given !== 'string' || !isHostedPlan(given)) {
    throw fail(`plan (--plan) must be one of ${HOSTED_PLAN_NAMES.join(', ')}, got ${JSON.stringify(given)}`);
  }
  return given;
}

function oneOf<T extends string>(
  field: string,
  given: T | undefined,
  choices: readonly T[],
  fallback: T,
  fail: (m: string) => Error,
): T {
  if (given === undefined) return fallback;
  if (!choices.includes(given))
    throw fail(`${field} must be one of ${choices.join(', ')}, got ${JSON.stringify(given)}`);
  return given;
}

/** `value` when it is a positive safe integer; throws naming `field` otherwise. */
export function positiveInteger(field: string, value: number, fail: (m: string) => Error): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw fail(`${field} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
