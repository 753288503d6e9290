import type { Logger } from 'pino';
import type { ContextStore } from '../store/context-store';
import type { SlidingWindowRateLimiter } from './rate-limiter';

/** What the tool handlers use; shared by every MCP server of the process and the in-process runner. */
export interface ToolContext {
  readonly store: ContextStore;
  /** Counts every tool call; `null`: no rate limit. */
  readonly limiter: SlidingWindowRateLimiter | null;
  readonly logger: Logger;
}

/** The tool context of a process's shared deps (`StompyServerDeps`): its store, limiter and logger. */
export function toolContextOf(deps: {
  readonly store: ContextStore;
  readonly limiter: SlidingWindowRateLimiter | null;
  readonly config: { readonly logger: Logger };
}): ToolContext {
  return { store: deps.store, limiter: deps.limiter, logger: deps.config.logger };
}
