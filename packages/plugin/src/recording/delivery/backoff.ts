/** How long an entry waits before its next attempt: exponential, capped, with full jitter. */
export interface BackoffPolicy {
  /** The first attempt's cap, in ms; it doubles per attempt. */
  readonly initialMs: number;
  /** The largest cap, in ms. */
  readonly maxMs: number;
}

/**
 * The wait before retrying after `attempt` failed attempts: uniform in
 * `[0, min(maxMs, initialMs * 2^(attempt-1))]` (full jitter, so a fleet coming back from an outage
 * does not retry in lockstep). `random` gives numbers in [0, 1).
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const doublings = Math.min(Math.max(0, attempt - 1), 40);
  const cap = Math.min(policy.maxMs, policy.initialMs * 2 ** doublings);
  return Math.floor(random() * cap);
}
