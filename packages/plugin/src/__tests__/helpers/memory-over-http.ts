import {
  createServerDeps,
  createStompyServer,
  resolveConfig,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { readTopics, type StoredTopic } from './memory-contents';
import type { ServedMemory } from './memory-transports';
import { countWrites, listenRestartable } from './restartable-http';
import { silentLogger } from './silent-logger';

/**
 * A real memory server (our Stompy-compatible server on a SQLite file, Streamable HTTP and SSE on
 * loopback) that can stop and start again on its port and file, and that counts the writes each topic
 * received, so a test can tell "stored once" from "written twice with the same content" (which adds no
 * version).
 */
export interface MemoryOverHttp extends ServedMemory {
  readonly deps: StompyServerDeps;
  /** The Streamable HTTP endpoint (`<baseUrl>/mcp`). */
  readonly url: string;
  readonly dbPath: string;
  /** A new MCP server on the same store, in this process. */
  readonly createMcpServer: () => McpServer;
  /** Writes (`lock_context` calls and `lock_context_batch` entries) per topic, since start. */
  readonly writes: Map<string, number>;
  /**
   * A project's topics (the default project's unless named) whose latest content's first line names
   * `marker` (e.g. `(restart-`).
   */
  topics(marker: string, project?: string): StoredTopic[];
  /** Stops listening (the file stays open). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Stops listening and closes the file. */
  close(): Promise<void>;
}

/** A bearer token the server requires, and a request size limit lower than its default. */
export interface MemoryOverHttpOptions {
  token?: string;
  maxBodyBytes?: number;
}

/** Starts a {@link MemoryOverHttp} on `dbPath`, with a bearer token and a lower request size limit when given. */
export async function startMemoryOverHttp(
  dbPath: string,
  options: MemoryOverHttpOptions = {},
): Promise<MemoryOverHttp> {
  const deps = createServerDeps(resolveConfig({ dbPath, logger: silentLogger }));
  const writes = countWrites(deps);
  const createMcpServer = (): McpServer => createStompyServer(deps);
  const http = await listenRestartable(createMcpServer, options);
  const { baseUrl, start, stop } = http;
  return {
    deps,
    baseUrl,
    url: `${baseUrl}/mcp`,
    token: options.token,
    dbPath,
    createMcpServer,
    writes,
    topics: (marker, project = deps.config.defaultProject) => readTopics(dbPath, project, marker),
    start,
    stop,
    close: async () => {
      await stop();
      await deps.store.close();
    },
  };
}
