import {
  startHttpServer,
  type AnsweredRequest,
  type RunningHttpServer,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { silentLogger } from './silent-logger';

/** A memory server's HTTP listener that can stop and listen again on the same port. */
export interface RestartableHttp {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** Stops listening, closing every open connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/** Options of {@link listenRestartable}. */
export interface RestartableHttpOptions {
  readonly token?: string;
  readonly maxBodyBytes?: number;
  readonly onResponse?: (answered: AnsweredRequest) => void;
}

/** Starts listening for `createMcpServer`'s servers on a free port, as a {@link RestartableHttp}. */
export async function listenRestartable(
  createMcpServer: () => McpServer,
  options: RestartableHttpOptions = {},
): Promise<RestartableHttp> {
  let server: RunningHttpServer | undefined;
  let port = 0;
  const start = async (): Promise<void> => {
    server = await startHttpServer({
      createMcpServer,
      logger: silentLogger,
      port,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      ...(options.onResponse === undefined ? {} : { onResponse: options.onResponse }),
    });
    port = server.port;
  };
  await start();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    start,
    stop: async () => {
      await server?.close();
      server = undefined;
    },
  };
}

/**
 * Counts the writes each topic receives in `deps`' store (`lock_context` calls and
 * `lock_context_batch` entries), so a test can tell "stored once" from "written twice with the same
 * content" (which adds no version).
 */
export function countWrites(deps: StompyServerDeps): Map<string, number> {
  const writes = new Map<string, number>();
  const count = (topic: unknown): void => {
    const key = String(topic);
    writes.set(key, (writes.get(key) ?? 0) + 1);
  };
  const { store } = deps;
  // lock_context goes through lock (grouped commits), lock_context_batch through lockBatch.
  const lock = store.lock.bind(store);
  const lockBatch = store.lockBatch.bind(store);
  store.lock = (input) => {
    count(input.topic);
    return lock(input);
  };
  store.lockBatch = (input) => {
    input.contexts.forEach((c) => count(c.topic));
    return lockBatch(input);
  };
  return writes;
}
