import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ResolvedConfig } from './config';
import { ContextStore } from './store/context-store';
import { CallerRateLimits } from './tools/caller-rate-limits';
import { registerTools } from './tools/register-tools';
import { IN_PROCESS_CALLER, toolContextOf, type ToolCaller } from './tools/tool-context';

/** Name the server gives in the MCP `initialize` handshake. */
export const SERVER_NAME = 'stompy-memory';

/** This package's version, sent in the MCP `initialize` handshake. */
export const SERVER_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;

/**
 * What every MCP server of one process shares: the store (one SQLite connection), the configuration
 * and the rate limits (one budget per caller), so limits hold across all sessions and stateless requests.
 */
export interface StompyServerDeps {
  readonly store: ContextStore;
  readonly config: ResolvedConfig;
  /** `null` when the configuration sets no rate limit. */
  readonly rateLimits: CallerRateLimits | null;
}

/** Opens the context store a configuration names, with its limits, default project and clock. */
export function openContextStore(config: ResolvedConfig): ContextStore {
  return ContextStore.open({
    dbPath: config.dbPath,
    defaultProject: config.defaultProject,
    maxTopicLength: config.maxTopicLength,
    maxContentBytes: config.maxContentBytes,
    maxReplyContentBytes: config.maxReplyContentBytes,
    noveltyThreshold: config.noveltyThreshold,
    now: config.now,
    logger: config.logger,
  });
}

/** Opens the store and makes the rate limits of a configuration: call once per process, then close the store. */
export function createServerDeps(config: ResolvedConfig): StompyServerDeps {
  const { rateLimitPerMinute: perMinute, burstPer10s, rateLimitWindow: window } = config;
  const rateLimits =
    perMinute === null && burstPer10s === null
      ? null
      : new CallerRateLimits({ perMinute, burstPer10s, window }, config.now);
  return { store: openContextStore(config), config, rateLimits };
}

/**
 * A new MCP server with Stompy's context tools (and the configured extras) over the shared `deps`,
 * for one caller (default: in process), whose calls count against that caller's rate limit. Cheap:
 * stateless HTTP makes one per request. Connect it to a transport; closing it leaves the store open.
 */
export function createStompyServer(
  deps: StompyServerDeps,
  caller: ToolCaller = IN_PROCESS_CALLER,
): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    {
      instructions:
        'Durable memory in the shape of Stompy: lock_context stores immutable versions per topic; recall_context, ' +
        'recall_batch and context_search read them; unlock_context archives them. Every tool takes an optional project.',
    },
  );
  registerTools(server, toolContextOf(deps, caller));
  return server;
}
