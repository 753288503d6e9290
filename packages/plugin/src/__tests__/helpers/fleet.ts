// A fleet for one test file, as docs/fleet.md describes it: a real Temporal dev server, one real
// PostgreSQL, two `stompy-memory serve` processes on its database and two worker processes, each with
// its own outbox and both memory servers (worker b lists them in the other order).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, startTestEnvironment, type PostgresServer } from '@temporal-stompy/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startFleetWorker, prepareFleetWorkers, type FleetWorkerProcess } from './fleet-worker-process';
import { startMemoryServerProcess, type MemoryServerProcess } from './memory-server-process';

/** The fleet's token: every memory server accepts it, every worker sends it. */
export const FLEET_TOKEN = 'fleet-test-token';

/** A running fleet (see {@link useFleet}). */
export interface Fleet {
  readonly env: TestWorkflowEnvironment;
  readonly pg: PostgresServer;
  /** The memory servers' database (its URL carries the password). */
  readonly databaseUrl: string;
  /** Memory servers a and b. */
  readonly servers: readonly [MemoryServerProcess, MemoryServerProcess];
  /** Workers a (servers a, b) and b (servers b, a). */
  readonly workers: readonly [FleetWorkerProcess, FleetWorkerProcess];
  /** The task queue both workers poll. */
  readonly taskQueue: string;
  /** Starts one more memory server on the fleet's database; it is killed when the file ends. */
  startServer(): Promise<MemoryServerProcess>;
}

/**
 * Registers hooks that start a fleet before the file's tests (with recall budget `recallBudgetMs`)
 * and take it down after them, even when starting failed half-way: workers first (they deliver what
 * they can), then memory servers, Temporal and PostgreSQL.
 */
export function useFleet(name: string, options: { recallBudgetMs: number }): Fleet {
  let fleet: Fleet | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), `${name}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const [env, pg, prepared] = await Promise.all([
      startTestEnvironment(),
      startPostgres(),
      prepareFleetWorkers(dir),
    ]);
    cleanups.unshift(
      () => pg.stop(),
      () => env.teardown(),
    );
    const databaseUrl = await pg.createDatabase('fleet');
    const startServer = async (): Promise<MemoryServerProcess> => {
      const server = await startMemoryServerProcess({
        databaseUrl,
        token: FLEET_TOKEN,
        args: ['--pg-max-connections', '5', '--pg-statement-timeout-ms', '5000'],
      });
      cleanups.unshift(() => server.kill());
      return server;
    };
    const servers = [await startServer(), await startServer()] as const;
    const taskQueue = `${name}-orders`;
    const worker = async (workerName: string, memoryUrls: string[]): Promise<FleetWorkerProcess> => {
      const started = await startFleetWorker({
        ...prepared,
        name: workerName,
        temporalAddress: env.address,
        taskQueue,
        memoryUrls,
        token: FLEET_TOKEN,
        outboxPath: join(dir, `outbox-${workerName}.db`),
        recallBudgetMs: options.recallBudgetMs,
      });
      cleanups.unshift(async () => {
        await started.stop().catch(() => started.kill());
      });
      return started;
    };
    const [a, b] = servers;
    const workers = await Promise.all([worker('a', [a.url, b.url]), worker('b', [b.url, a.url])]);
    fleet = { env, pg, databaseUrl, servers, workers: [workers[0], workers[1]], taskQueue, startServer };
  }, 180_000);
  afterAll(async () => {
    // The last started first: workers (they deliver what they can), memory servers, Temporal, PostgreSQL.
    const stopping = cleanups.splice(0);
    for (const cleanup of stopping) {
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`${name}: cleanup failed: ${String(error)}\n`);
      }
    }
  }, 120_000);
  const open = (): Fleet => {
    if (!fleet) throw new Error(`useFleet('${name}'): the fleet runs only in hooks and tests`);
    return fleet;
  };
  return {
    get env() {
      return open().env;
    },
    get pg() {
      return open().pg;
    },
    get databaseUrl() {
      return open().databaseUrl;
    },
    get servers() {
      return open().servers;
    },
    get workers() {
      return open().workers;
    },
    get taskQueue() {
      return open().taskQueue;
    },
    startServer: () => open().startServer(),
  };
}
