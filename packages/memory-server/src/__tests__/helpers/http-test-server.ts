import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type MemoryServerConfig } from '../../config';
import { createServerDeps, createStompyServer, type StompyServerDeps } from '../../create-server';
import {
  startHttpServer,
  type HttpServerOptions,
  type RunningHttpServer,
} from '../../transports/http-server';
import { captureLogger, type CapturedLogger } from './capture-logger';

/** A real HTTP memory server on a fresh SQLite file, for one test file; fields are set in `beforeAll`. */
export interface HttpTestServer {
  readonly deps: StompyServerDeps;
  readonly server: RunningHttpServer;
  readonly log: CapturedLogger;
}

/**
 * Registers `beforeAll` / `afterAll` hooks that start a memory server over real HTTP (with `options`,
 * a captured logger and a fresh SQLite file configured by `config`) and close it; read the fields
 * inside tests.
 */
export function useHttpTestServer(
  name: string,
  options: Partial<Omit<HttpServerOptions, 'createMcpServer' | 'logger'>> = {},
  config: Partial<MemoryServerConfig> = {},
): HttpTestServer {
  const log = captureLogger();
  const running: { dir?: string; deps?: StompyServerDeps; server?: RunningHttpServer } = {};
  beforeAll(async () => {
    running.dir = mkdtempSync(join(tmpdir(), `${name}-`));
    const deps = createServerDeps(
      resolveConfig({ ...config, dbPath: join(running.dir, 'memory.db'), logger: log.logger }),
    );
    running.deps = deps;
    running.server = await startHttpServer({
      ready: () => deps.store.ping().then(() => true),
      ...options,
      createMcpServer: (caller) => createStompyServer(deps, caller),
      logger: log.logger,
    });
  });
  afterAll(async () => {
    await running.server?.close();
    await running.deps?.store.close();
    if (running.dir !== undefined) rmSync(running.dir, { recursive: true, force: true });
  });
  return {
    log,
    get deps() {
      if (!running.deps) throw new Error('the test server starts in beforeAll');
      return running.deps;
    },
    get server() {
      if (!running.server) throw new Error('the test server starts in beforeAll');
      return running.server;
    },
  };
}
