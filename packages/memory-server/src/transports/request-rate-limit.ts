import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { CallerRateLimits } from '../tools/caller-rate-limits';
import { rateLimitRefusal, retryAfterSeconds } from '../tools/rate-limit-refusal';
import type { RateLimitDenial, WindowUsage } from '../tools/rate-limiter';

/**
 * Counts one HTTP request against its caller's budget, the way hosted Stompy's rate-limit middleware
 * does before any MCP or REST handling. Within the limit it sets `X-RateLimit-Limit`,
 * `X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds) of the tightest window and returns
 * true. Over it, it answers HTTP 429 itself and returns false: `Retry-After` (seconds), the same
 * `X-RateLimit-*` headers with 0 remaining, and the JSON body `{status_code: 429, error:
 * "rate_limit_exceeded", message, retry_after_seconds, limit, window_seconds}`, which Stompy's CLI
 * reads as its API error (`status_code`, `message`) on REST and on `/mcp` alike.
 */
export function admitRequest(
  limits: CallerRateLimits,
  callerKey: string,
  res: ServerResponse,
  logger: Logger,
  path: string,
  now: () => number,
): boolean {
  const decision = limits.forCaller(callerKey).tryAcquire();
  if (decision.allowed) {
    setRateLimitHeaders(res, decision.tightest);
    return true;
  }
  logger.warn(
    { caller: callerKey, path, limit: decision.limit, windowMs: decision.windowMs },
    'memory server: request refused, rate limit exceeded',
  );
  answerRateLimited(res, decision, now());
  return false;
}

function setRateLimitHeaders(res: ServerResponse, usage: WindowUsage): void {
  res.setHeader('X-RateLimit-Limit', String(usage.limit));
  res.setHeader('X-RateLimit-Remaining', String(Math.max(0, usage.limit - usage.used)));
  res.setHeader('X-RateLimit-Reset', String(Math.ceil(usage.resetsAt / 1000)));
}

function answerRateLimited(res: ServerResponse, denial: RateLimitDenial, now: number): void {
  const seconds = retryAfterSeconds(denial);
  const body = { status_code: 429, ...rateLimitRefusal(denial) };
  res.writeHead(429, {
    'Content-Type': 'application/json',
    'Retry-After': String(seconds),
    'X-RateLimit-Limit': String(denial.limit),
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset': String(Math.ceil((now + denial.retryAfterMs) / 1000)),
  });
  res.end(JSON.stringify(body));
}
