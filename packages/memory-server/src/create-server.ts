import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ConfigError, type ResolvedConfig } from './config';
import { ContextStore } from './store/context-store';
import type { MemoryStore } from './store/memory-store';
import { isPostgresUrl } from './store/postgres/pg-pool';
import { PostgresStore } from './store/postgres/postgres-store';
import { ServerMetrics } from './metrics/server-metrics';
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
 * What every MCP server of one process shares: the store (one database connection or pool), the configuration
 * and the rate limits (one budget per caller), so limits hold across all sessions and stateless requests.
 */
export interface StompyServerDeps {
  readonly store: MemoryStore;
  readonly config: ResolvedConfig;
  /** `null` when the configuration sets no rate limit. */
  readonly rateLimits: CallerRateLimits | null;
  /** The server's Prometheus metrics (`/metrics`); absent for a store embedded in another process. */
  readonly metrics?: ServerMetrics;
}

/**
 * Opens the SQLite store a configuration names, with its limits, default project and clock. A
 * PostgreSQL URL is refused here: it opens asynchronously, with {@link openMemoryStore}.
 */
export function openContextStore(config: ResolvedConfig): ContextStore {
  if (isPostgresUrl(config.dbPath)) {
    throw new ConfigError('a PostgreSQL database opens asynchronously: use openMemoryStore / openServerDeps');
  }
  return ContextStore.open({ ...storeSettings(config), dbPath: config.dbPath, logger: config.logger });
}

/**
 * Opens the store a configuration names: the PostgreSQL database of a `postgres://` URL (connected
 * and migrated; rejects with a clear message, password left out, when it cannot be), else a SQLite file.
 */
export async function openMemoryStore(config: ResolvedConfig): Promise<MemoryStore> {
  if (!isPostgresUrl(config.dbPath)) return openContextStore(config);
  return PostgresStore.open({
    ...storeSettings(config),
    ...config.postgres,
    url: config.dbPath,
    logger: config.logger,
  });
}

function storeSettings(config: ResolvedConfig) {
  return {
    defaultProject: config.defaultProject,
    maxTopicLength: config.maxTopicLength,
    maxContentBytes: config.maxContentBytes,
    maxReplyContentBytes: config.maxReplyContentBytes,
    noveltyThreshold: config.noveltyThreshold,
    now: config.now,
  };
}

/** The rate limits a configuration sets, or null when it sets none. */
function rateLimitsOf(config: ResolvedConfig): CallerRateLimits | null {
  const { rateLimitPerMinute: perMinute, burstPer10s, rateLimitWindow: window } = config;
  return perMinute === null && burstPer10s === null
    ? null
    : new CallerRateLimits({ perMinute, burstPer10s, window }, config.now);
}

/** Opens the SQLite store and makes the rate limits of a configuration: call once per process, then close the store. */
export function createServerDeps(config: ResolvedConfig): StompyServerDeps {
  return { store: openContextStore(config), config, rateLimits: rateLimitsOf(config) };
}

/**
 * Opens the store (SQLite or PostgreSQL), makes the rate limits of a configuration and the server's
 * metrics: what a server process (`stompy-memory`) runs on; once per process.
 */
export async function openServerDeps(config: ResolvedConfig): Promise<StompyServerDeps> {
  const store = await openMemoryStore(config);
  return {
    store,
    config,
    rateLimits: rateLimitsOf(config),
    metrics: new ServerMetrics(() => store.poolUsage()),
  };
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
