import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createLogger,
  createServerDeps,
  createStompyServer,
  resolveConfig,
  startHttpServer,
  type MemoryStore,
} from '@temporal-stompy/memory-server';
import { latencyOf, type Latency } from '../shared/percentiles';
import { WARM_UP_CALLS } from './bench-options';

/** A memory server the benchmark measures: its store, its SQLite file and its Streamable HTTP address. */
export interface BenchServer {
  readonly store: MemoryStore;
  readonly dbPath: string;
  readonly url: string;
  /** How long `populate` took. */
  readonly populateSeconds: number;
}

/**
 * Opens a store on a new temp SQLite file, fills it with `populate` (timed, announced as `what`),
 * serves it over loopback Streamable HTTP, runs `measure`, then closes everything and removes the file.
 */
export async function onNewServer<T>(
  what: string,
  populate: (store: MemoryStore) => Promise<void>,
  measure: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'memory-bench-'));
  const dbPath = join(dir, 'bench.db');
  const deps = createServerDeps(resolveConfig({ dbPath, logger: createLogger({ level: 'warn' }) }));
  try {
    process.stdout.write(`populating ${what} through the store... `);
    const populateStarted = performance.now();
    await populate(deps.store);
    const populateSeconds = (performance.now() - populateStarted) / 1000;
    process.stdout.write(`${populateSeconds.toFixed(1)} s\n`);
    const server = await startHttpServer({
      createMcpServer: () => createStompyServer(deps),
      logger: deps.config.logger,
    });
    try {
      return await measure({ store: deps.store, dbPath, url: server.url, populateSeconds });
    } finally {
      await server.close();
    }
  } finally {
    await deps.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Latency of a store call made directly (the floor under HTTP and MCP): `call` with the arguments
 * `argsOf(n)` gives for the `n`-th call, made before the clock starts; warm-up calls use `n` from
 * 1,000,000, so they differ from the timed ones.
 */
export async function timeDirectly<A>(
  calls: number,
  argsOf: (n: number) => A,
  call: (args: A) => Promise<unknown>,
): Promise<Latency> {
  for (let n = 0; n < WARM_UP_CALLS; n++) await call(argsOf(1_000_000 + n));
  const times: number[] = [];
  for (let n = 0; n < calls; n++) {
    const args = argsOf(n);
    const started = performance.now();
    await call(args);
    times.push(performance.now() - started);
  }
  return latencyOf(times);
}
