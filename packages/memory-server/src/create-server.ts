import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ResolvedConfig } from './config';
import { ContextStore } from './store/context-store';
import { SlidingWindowRateLimiter } from './tools/rate-limiter';
import { registerTools } from './tools/register-tools';
import { toolContextOf } from './tools/tool-context';

/** Name the server gives in the MCP `initialize` handshake. */
export const SERVER_NAME = 'stompy-memory';

/** This package's version, sent in the MCP `initialize` handshake. */
export const SERVER_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;

/** Rate-limit window: hosted Stompy counts calls per minute. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * What every MCP server of one process shares: the store (one SQLite connection), the configuration
 * and the rate limiter, so limits hold across all sessions and stateless requests.
 */
export interface StompyServerDeps {
  readonly store: ContextStore;
  readonly config: ResolvedConfig;
  /** `null` when the configuration sets no rate limit. */
  readonly limiter: SlidingWindowRateLimiter | null;
}

/** Opens the context store a configuration names, with its limits, default project and clock. */
export function openContextStore(config: ResolvedConfig): ContextStore {
  return ContextStore.open({
    dbPath: config.dbPath,
    defaultProject: config.defaultProject,
    maxTopicLength: config.maxTopicLength,
    maxContentBytes: config.maxContentBytes,
    noveltyThreshold: config.noveltyThreshold,
    now: config.now,
  });
}

/** Opens the store and makes the rate limiter of a configuration: call once per process, then close the store. */
export function createServerDeps(config: ResolvedConfig): StompyServerDeps {
  const limiter =
    config.rateLimitPerMinute === null
      ? null
      : new SlidingWindowRateLimiter(config.rateLimitPerMinute, RATE_LIMIT_WINDOW_MS, config.now);
  return { store: openContextStore(config), config, limiter };
}

/**
 * A new MCP server with Stompy's context tools over the shared `deps`. Cheap: stateless HTTP makes one
 * per request. Connect it to a transport; closing it leaves the store open.
 */
export function createStompyServer(deps: StompyServerDeps): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    {
      instructions:
        'Durable memory in the shape of Stompy: lock_context stores immutable versions per topic; recall_context, ' +
        'recall_batch and context_search read them; unlock_context archives them. Every tool takes an optional project.',
    },
  );
  registerTools(server, toolContextOf(deps));
  return server;
}
