import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createServerDeps,
  createStompyServer,
  resolveConfig,
  startHttpServer,
  type RunningHttpServer,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import { startTestEnvironment } from '@temporal-stompy/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';

/** A logger that writes nothing, for plugins and servers whose logs a test does not read. */
export const silentLogger = pino({ level: 'silent' });

/** A real Temporal dev server and a temp folder, for one integration test file. */
export interface Testbed {
  readonly env: TestWorkflowEnvironment;
  /** A path in the test file's temp folder. */
  file(name: string): string;
  close(): Promise<void>;
}

/** Starts a dev server and makes a temp folder; call in `beforeAll`, close in `afterAll`. */
export async function openTestbed(
  name: string,
  options: Parameters<typeof startTestEnvironment>[0] = {},
): Promise<Testbed> {
  const env = await startTestEnvironment(options);
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  return {
    env,
    file: (file) => join(dir, file),
    close: async () => {
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real memory server over Streamable HTTP on loopback, on a SQLite file; it can stop and start again on its port. */
export interface MemoryOverHttp {
  readonly deps: StompyServerDeps;
  /** The server's base URL (`http://127.0.0.1:<port>`); SSE is at `/sse`. */
  readonly baseUrl: string;
  /** The Streamable HTTP endpoint (`<baseUrl>/mcp`). */
  readonly url: string;
  /** Stops listening (the file stays open). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Stops listening and closes the file. */
  close(): Promise<void>;
}

/** Starts a memory server over HTTP (with a bearer token when given). */
export async function startMemoryOverHttp(
  dbPath: string,
  options: { token?: string } = {},
): Promise<MemoryOverHttp> {
  const deps = createServerDeps(resolveConfig({ dbPath, logger: silentLogger }));
  let server: RunningHttpServer | undefined;
  let port = 0;
  const start = async (): Promise<void> => {
    server = await startHttpServer({
      createMcpServer: () => createStompyServer(deps),
      logger: silentLogger,
      port,
      ...(options.token ? { token: options.token } : {}),
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
    baseUrl: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/mcp`,
    start,
    stop,
    close: async () => {
      await stop();
      deps.store.close();
    },
  };
}
