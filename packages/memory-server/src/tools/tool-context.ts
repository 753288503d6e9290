import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics/server-metrics';
import type { MemoryStore } from '../store/memory-store';
import type { CallerRateLimits } from './caller-rate-limits';
import type { ExtraToolName } from './extra-tool-names';
import type { RateLimiter } from './rate-limiter';
import { serverTools } from './server-tools';
import type { ToolDefinition } from './tool-definition';

/** Whose calls a server or runner makes, for the per-caller rate limit. */
export interface ToolCaller {
  /** Names the caller's budget without holding a secret: `token:<hash>`, `address:<ip>`, `in-process`. */
  readonly key: string;
  /** Whether the transport already counted the request that carries these calls (hosted over HTTP). */
  readonly counted: boolean;
}

/** The caller of servers and runners made in process (and of the one stdio client). */
export const IN_PROCESS_CALLER: ToolCaller = Object.freeze({ key: 'in-process', counted: false });

/** What the tool handlers use; shared by every MCP server of the process and the in-process runner. */
export interface ToolContext {
  readonly store: MemoryStore;
  /** The caller's limiter, counting every tool call; `null`: no rate limit, or the transport counted. */
  readonly limiter: RateLimiter | null;
  /** The tools offered: Stompy's seven, then the configured extras. */
  readonly tools: readonly ToolDefinition[];
  readonly logger: Logger;
  /** Where tool calls are counted and timed; absent: not counted. */
  readonly metrics?: ServerMetrics;
}

/** The tool context of a process's shared deps (`StompyServerDeps`) for one caller. */
export function toolContextOf(
  deps: {
    readonly store: MemoryStore;
    readonly rateLimits: CallerRateLimits | null;
    readonly config: { readonly logger: Logger; readonly extraTools: readonly ExtraToolName[] };
    readonly metrics?: ServerMetrics;
  },
  caller: ToolCaller = IN_PROCESS_CALLER,
): ToolContext {
  return {
    store: deps.store,
    limiter: caller.counted || deps.rateLimits === null ? null : deps.rateLimits.forCaller(caller.key),
    tools: serverTools(deps.config.extraTools),
    logger: deps.config.logger,
    ...(deps.metrics !== undefined ? { metrics: deps.metrics } : {}),
  };
}
