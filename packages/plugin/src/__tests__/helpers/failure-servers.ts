import { createServer, type Socket } from 'node:net';
import {
  createServerDeps,
  createStompyServer,
  resolveConfig,
  startHttpServer,
  type RunningHttpServer,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import pino from 'pino';

// Memory servers that fail in the ways a network fails: a port nobody listens on, a server that takes
// connections and never answers, and a real memory server that stops and starts again on its port.

const silent = pino({ level: 'silent' });

/** The MCP URL of a loopback port nothing listens on (connections are refused at once). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/mcp`;
}

/** A TCP server that accepts connections and never answers a byte: the worst kind of outage. */
export interface BlackHole {
  readonly url: string;
  /** Connections it has accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a {@link BlackHole} on loopback. */
export async function startBlackHole(): Promise<BlackHole> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    connections: () => sockets.length,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A context as stored: its topic, live versions, and its latest version's tags and content. */
export interface StoredTopic {
  topic: string;
  versions: number;
  tags: string[];
  content: string;
}

/**
 * A real memory server (our Stompy-compatible server, SQLite file, Streamable HTTP on loopback) that
 * can stop and start again on the same port and file, and that counts the writes each topic received,
 * so a test can tell "stored once" from "written twice with the same content" (which adds no version).
 */
export interface CountingMemory {
  readonly deps: StompyServerDeps;
  readonly url: string;
  /** Writes (`lock_context` calls and `lock_context_batch` entries) per topic, since start. */
  readonly writes: Map<string, number>;
  /** Topics whose content begins with a line naming `marker` (e.g. a workflow id prefix), with their version counts. */
  topics(marker: string): StoredTopic[];
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a {@link CountingMemory} on `dbPath`; `maxBodyBytes` lowers the server's request size limit. */
export async function startCountingMemory(
  dbPath: string,
  options: { maxBodyBytes?: number } = {},
): Promise<CountingMemory> {
  const deps = createServerDeps(resolveConfig({ dbPath, logger: silent }));
  const writes = new Map<string, number>();
  const count = (topic: unknown): void => {
    const key = String(topic);
    writes.set(key, (writes.get(key) ?? 0) + 1);
  };
  const { store } = deps;
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
  let server: RunningHttpServer | undefined;
  let port = 0;
  const start = async (): Promise<void> => {
    server = await startHttpServer({
      createMcpServer: () => createStompyServer(deps),
      logger: silent,
      port,
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    });
    port = server.port;
  };
  const stop = async (): Promise<void> => {
    await server?.close();
    server = undefined;
  };
  await start();
  return {
    deps,
    url: `http://127.0.0.1:${port}/mcp`,
    writes,
    topics: (marker) =>
      store
        .explore({ limit: 500 })
        .topics.filter((t) => t.preview.includes(marker))
        .map((t) => {
          const latest = store.recall({ topic: t.topic });
          return { topic: t.topic, versions: t.version_count, tags: latest.tags, content: latest.content };
        }),
    start,
    stop,
    close: async () => {
      await stop();
      store.close();
    },
  };
}
