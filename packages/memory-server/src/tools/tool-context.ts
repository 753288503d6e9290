import type { Logger } from 'pino';
import type { ContextStore } from '../store/context-store';
import type { SlidingWindowRateLimiter } from './rate-limiter';

/** What the tool handlers use; shared by every MCP server of the process. */
export interface ToolContext {
  readonly store: ContextStore;
  /** Counts every tool call; `null`: no rate limit. */
  readonly limiter: SlidingWindowRateLimiter | null;
  readonly logger: Logger;
}
