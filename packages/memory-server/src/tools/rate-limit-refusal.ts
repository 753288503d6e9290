import type { RateLimitDenial } from './rate-limiter';
import type { ToolErrorBody } from './tool-outcome';

/** Whole seconds to wait before calling again (at least 1): what `Retry-After` says. */
export function retryAfterSeconds(denial: RateLimitDenial): number {
  return Math.max(1, Math.ceil(denial.retryAfterMs / 1000));
}

/** The cap a denial hit, in words: "60 calls per minute", "20 calls per 10 seconds (burst)". */
function capInWords(denial: RateLimitDenial): string {
  if (denial.windowMs === 60_000) return `${denial.limit} calls per minute`;
  if (denial.windowMs === 10_000) return `${denial.limit} calls per 10 seconds (burst)`;
  return `${denial.limit} calls per ${denial.windowMs / 1000} seconds`;
}

/**
 * The body of a call refused by the rate limit, the same on every transport: `error`, a message that
 * names the cap and says "Retry after N s" (clients that read only prose find the wait there too),
 * `retry_after_seconds`, the cap's `limit` and its `window_seconds`.
 */
export function rateLimitRefusal(denial: RateLimitDenial): ToolErrorBody {
  const seconds = retryAfterSeconds(denial);
  return {
    error: 'rate_limit_exceeded',
    message: `Rate limit exceeded: ${capInWords(denial)}. Retry after ${seconds} s, or batch calls (recall_batch, fewer lock_context calls).`,
    retry_after_seconds: seconds,
    limit: denial.limit,
    window_seconds: Math.round(denial.windowMs / 1000),
  };
}
