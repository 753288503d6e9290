import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import {
  createLogger,
  openServerDeps,
  resolveConfig,
  type MemoryStore,
} from '@temporal-stompy/memory-server';
import type { PostgresServer } from '@temporal-stompy/testing';
import { startMemoryServer, type MemoryServerProcess } from '../shared/memory-server-process';
import { populateOutcomes, POPULATE_PLANS } from './outcome-populate';

/** The configurations the stores section compares. */
export type ConfigName = 'sqlite' | 'pg1' | 'pg2';

/** One configuration: the store this process reads directly, and the servers its clients call. */
export interface StoreConfig {
  readonly name: ConfigName;
  readonly store: MemoryStore;
  /** Base URLs of its `stompy-memory serve` processes; clients are spread over them. */
  readonly urls: readonly string[];
  /** Whether its reads are measured (two servers on one database read as one does: only writes differ). */
  readonly reads: boolean;
}

/** How one store was filled. */
export interface PopulateFigures {
  readonly kind: MemoryStore['kind'];
  readonly seconds: number;
  /** PostgreSQL only: the `VACUUM (ANALYZE)` after the bulk, in seconds. */
  readonly vacuumSeconds?: number;
  /** Size of the database (SQLite file with its WAL, or PostgreSQL database), in bytes. */
  readonly bytes?: number;
}

/** Both stores of one size, filled, with their servers running. */
export interface BenchStores {
  readonly configs: readonly StoreConfig[];
  readonly populated: readonly PopulateFigures[];
  /** Stops the servers, closes the stores, removes the SQLite file and drops the database. */
  close(): Promise<void>;
}

/** Longest a maintenance statement (`VACUUM`, a size) may run. */
const MAINTENANCE_TIMEOUT_MS = 600_000;

/** Runs `sql` on its own connection to `url`, with a statement timeout; resolves with its rows. */
export async function runSql(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url, statement_timeout: MAINTENANCE_TIMEOUT_MS });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Fills `store` with `size` outcomes by its kind's plan, saying how long it took; resolves with the seconds. */
async function populate(store: MemoryStore, size: number, log: (line: string) => void): Promise<number> {
  log(`populating ${store.kind} with ${size.toLocaleString('en')} outcomes with facts through the store...`);
  const seconds = await populateOutcomes(store, size, POPULATE_PLANS[store.kind], log);
  log(`  ${store.kind}: ${seconds.toFixed(1)} s (${Math.round(size / seconds)} outcomes/s)`);
  return seconds;
}

/**
 * Opens a new SQLite file and a new database on `postgres`, fills each with `size` outcomes through
 * its store (timed; PostgreSQL then gets the `VACUUM (ANALYZE)` an operator runs after a bulk load, so
 * autovacuum does not start in the middle of a measurement), then starts one `stompy-memory serve` on
 * SQLite and two on PostgreSQL. On failure, closes what it opened.
 */
export async function openBenchStores(
  size: number,
  postgres: PostgresServer,
  log: (line: string) => void,
): Promise<BenchStores> {
  const dir = mkdtempSync(join(tmpdir(), 'memory-bench-stores-'));
  const dbPath = join(dir, 'bench.db');
  const database = `bench_${size}_${Date.now()}`;
  const logger = createLogger({ level: 'warn' });
  const servers: MemoryServerProcess[] = [];
  const stores: MemoryStore[] = [];
  let pgUrl: string | undefined;
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.close()));
    await Promise.all(stores.map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
    if (pgUrl !== undefined) await runSql(postgres.url, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  };
  try {
    const sqlite = (await openServerDeps(resolveConfig({ dbPath, logger }))).store;
    stores.push(sqlite);
    pgUrl = await postgres.createDatabase(database);
    const pg = (await openServerDeps(resolveConfig({ dbPath: pgUrl, logger }))).store;
    stores.push(pg);
    const sqliteSeconds = await populate(sqlite, size, log);
    const sqliteBytes = [dbPath, `${dbPath}-wal`]
      .filter((file) => existsSync(file))
      .reduce((sum, file) => sum + statSync(file).size, 0);
    const pgSeconds = await populate(pg, size, log);
    const vacuumStarted = performance.now();
    await runSql(pgUrl, 'VACUUM (ANALYZE)');
    const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
    log(`  postgres: VACUUM (ANALYZE) ${vacuumSeconds.toFixed(1)} s`);
    const [pgSize] = await runSql(pgUrl, 'SELECT pg_database_size(current_database())::float8 AS bytes');
    const populated: PopulateFigures[] = [
      { kind: 'sqlite', seconds: sqliteSeconds, bytes: sqliteBytes },
      { kind: 'postgres', seconds: pgSeconds, vacuumSeconds, bytes: Number(pgSize?.bytes) },
    ];
    for (const db of [dbPath, pgUrl, pgUrl]) servers.push(await startMemoryServer(db));
    const [onSqlite, first, second] = servers.map((server) => server.url) as [string, string, string];
    return {
      configs: [
        { name: 'sqlite', store: sqlite, urls: [onSqlite], reads: true },
        { name: 'pg1', store: pg, urls: [first], reads: true },
        { name: 'pg2', store: pg, urls: [first, second], reads: false },
      ],
      populated,
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
