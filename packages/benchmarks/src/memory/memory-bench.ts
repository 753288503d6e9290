/**
 * `corepack pnpm bench:memory`: the memory server over loopback Streamable HTTP, measured with real
 * MCP clients, at 10k and 100k contexts of outcome-like content (`outcome-corpus.ts`).
 *
 * - `lock_context` calls/s: one MCP SDK client, 8 at once, and 8 lean JSON-RPC clients (what the server
 *   sustains), plus `lock_context_batch` and the store called directly (the floor under HTTP and MCP);
 * - `context_search` p50/p99 for the plugin's recall queries and for a user's searches, with the SDK
 *   client, the lean client and the store called directly;
 * - where a call's time goes: the server's CPU per call and the store's share of it, from the same run;
 * - SQLite and PostgreSQL side by side (`stores-bench.ts`), at 100k and 1M outcomes written with their
 *   facts (`insights-corpus.ts`): lock_context and lock_context_batch throughput, context_search and
 *   outcome_insights p50/p99, each server a `stompy-memory serve` process, PostgreSQL behind one and
 *   behind two servers, the configurations interleaved in rounds and compared by paired ratios.
 *
 * In the SQLite section each size gets a new temp SQLite file and server, in this process (bulk data goes
 * in through the store); the clients run in a child process, so this process's CPU time is the server's.
 * Prints the figures and writes them into docs/benchmarks.md between `<!-- bench:memory:start/end -->`.
 *
 * Options (arguments or environment):
 *   --sizes 10000,100000   BENCH_SIZES     corpus sizes of the SQLite section, ascending (default
 *                                           10000,100000; `none` skips the section)
 *   --outcome-sizes 100000,1000000  BENCH_OUTCOME_SIZES  outcomes for the stores section (that default;
 *                                           quick: 10000; `none` skips it; 1M outcomes take minutes per store)
 *   --rounds 3             BENCH_ROUNDS    rounds of the stores section (quick: 2)
 *   --quick                BENCH_QUICK=1   smaller counts, for a smoke run (sizes 2000,10000)
 *   --no-record            BENCH_RECORD=0  print only; leave docs/benchmarks.md alone
 *   --wait-quiet 20        BENCH_WAIT_QUIET  first wait up to 20 minutes for a 1-minute load under 0.8
 *                                           (checked every 30 s), then run either way and say which
 */
import { performance } from 'node:perf_hooks';
import type { MemoryStore } from '@temporal-stompy/memory-server';
import { othersShare, processTree, sampleCpu } from '../shared/cpu-sample';
import type { Latency } from '../shared/percentiles';
import { settleBeforeMeasuring } from '../shared/quiet-machine';
import { printAndRecord, runScript } from '../shared/run-script';
import { BUSY_LOAD } from '../shared/run-conditions';
import type { ClientJob } from './bench-clients';
import { parseBenchOptions, type BenchCounts } from './bench-options';
import { onNewServer, timeDirectly } from './bench-server';
import { ClientProcess } from './client-process';
import { startPostgres, type PostgresServer } from '@temporal-stompy/testing';
import { memoryBenchReport, type LockRow, type SearchRow, type SizeRow } from './memory-bench-report';
import { lockArguments, outcomeContext, SEARCH_SHAPES, type SearchShape } from './outcome-corpus';
import { ServerMeter, UNMEASURED, type ServerCost } from './server-meter';
import { storesBenchReport } from './stores-bench-report';
import { measureStoresSize, type StoresSizeRow } from './stores-bench';

/** Inserts contexts `from` to `to` (excluded) through the store, 100 per transaction. */
async function populate(store: MemoryStore, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 100) {
    const contexts = [];
    for (let i = start; i < Math.min(to, start + 100); i++) contexts.push(outcomeContext(i));
    await store.lockBatch({ contexts });
  }
}

/** Search latency with the store called directly: the floor under HTTP and MCP. */
function directSearch(
  store: MemoryStore,
  shape: SearchShape,
  size: number,
  searches: number,
): Promise<Latency> {
  return timeDirectly(
    searches,
    (n) => shape.args(n, size),
    (args) => store.search(args),
  );
}

/** `lock` calls per second with the store called directly. */
async function directLocks(store: MemoryStore, offset: number, calls: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await store.lock(lockArguments(offset + i, 'bench-direct-'));
  return calls / ((performance.now() - started) / 1000);
}

/** What one corpus size is measured with. */
interface Bench {
  store: MemoryStore;
  url: string;
  clients: ClientProcess;
  meter: ServerMeter;
  counts: BenchCounts;
}

/** Every search shape with the store, the SDK client and the lean client, on exactly `size` contexts. */
async function measureSearches(bench: Bench, size: number): Promise<SearchRow[]> {
  const { store, url, clients, meter, counts } = bench;
  const rows: SearchRow[] = [];
  for (const shape of SEARCH_SHAPES) {
    const direct = await directSearch(store, shape, size, counts.searches);
    const job = (client: 'sdk' | 'lean'): ClientJob => ({
      kind: 'search',
      client,
      url,
      shape: shape.name,
      size,
      searches: counts.searches,
    });
    const sdk = await clients.run(job('sdk'));
    const lean = await meter.measure(() => clients.run(job('lean')));
    rows.push({
      shape,
      sdk: { p50: sdk.p50 ?? NaN, p99: sdk.p99 ?? NaN },
      lean: { p50: lean.result.p50 ?? NaN, p99: lean.result.p99 ?? NaN },
      direct,
      leanCost: lean.cost,
      results: (await store.search(shape.args(7, size))).results.length,
    });
    process.stdout.write(
      `  search ${shape.name}: SDK p50 ${sdk.p50?.toFixed(2)} ms, lean p50 ${lean.result.p50?.toFixed(2)} ms, store p50 ${direct.p50.toFixed(2)} ms\n`,
    );
  }
  return rows;
}

/** lock_context with the SDK client (1 and 8 at once), 8 lean clients, lock_context_batch and the store. */
async function measureLocks(bench: Bench, firstIndex: number): Promise<LockRow> {
  const { store, url, clients, meter, counts } = bench;
  let offset = firstIndex;
  const lockJob = (client: 'sdk' | 'lean', concurrency: number, calls: number): ClientJob => {
    const job: ClientJob = {
      kind: 'lock',
      client,
      urls: [url],
      concurrency,
      calls,
      offset,
      prefix: `bench-${client}-`,
    };
    offset += calls;
    return job;
  };
  const sdk1 = (await clients.run(lockJob('sdk', 1, counts.sequentialLocks))).perSecond ?? NaN;
  const sdk8 = (await clients.run(lockJob('sdk', 8, counts.concurrentLocks))).perSecond ?? NaN;
  // What the server sustains: the best of a few runs, so a noisy neighbour does not decide it.
  let lean8 = 0;
  let lean8Cost: ServerCost = UNMEASURED;
  for (let run = 0; run < counts.leanRuns; run++) {
    const lean = await meter.measure(() => clients.run(lockJob('lean', 8, counts.concurrentLocks)));
    if ((lean.result.perSecond ?? 0) > lean8) {
      lean8 = lean.result.perSecond ?? 0;
      lean8Cost = lean.cost;
    }
  }
  const batchJob: ClientJob = {
    kind: 'batch',
    client: 'sdk',
    urls: [url],
    concurrency: 1,
    calls: counts.batches,
    perCall: 100,
    offset,
    prefix: 'bench-batch-',
  };
  offset += counts.batches * 100;
  const batch = (await clients.run(batchJob)).perSecond ?? NaN;
  const direct = await directLocks(store, offset, counts.directLocks);
  process.stdout.write(
    `  lock_context: SDK ${Math.round(sdk1)}/s, 8 SDK ${Math.round(sdk8)}/s, 8 lean ${Math.round(lean8)}/s, ` +
      `batch ${Math.round(batch)} contexts/s, store ${Math.round(direct)}/s\n`,
  );
  return { sdk1, sdk8, lean8, lean8Cost, batch, direct };
}

/**
 * Measures one corpus size on a new SQLite file and server, so each size's searches see exactly `size`
 * contexts (the lock phase adds thousands more).
 */
function measureSize(size: number, clients: ClientProcess, counts: BenchCounts): Promise<SizeRow> {
  return onNewServer(
    `${size.toLocaleString('en')} contexts`,
    (store) => populate(store, 0, size),
    async ({ store, url, populateSeconds }) => {
      const meter = new ServerMeter(store);
      const bench: Bench = { store, url, clients, meter, counts };
      const searches = await measureSearches(bench, size);
      const lock = await measureLocks(bench, size);
      return { size, populateSeconds, lock, searches };
    },
  );
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  const { wait, loadAtStart } = await settleBeforeMeasuring(options.waitQuietMinutes, BUSY_LOAD);
  const clients = new ClientProcess();
  const pids = processTree(process.pid);
  const cpuAtStart = sampleCpu(pids);
  const rows: SizeRow[] = [];
  const storesRows: StoresSizeRow[] = [];
  let others: number | undefined;
  let postgres: PostgresServer | undefined;
  try {
    for (const size of options.sizes) rows.push(await measureSize(size, clients, options.counts));
    // The stores section starts processes of its own and says how busy the machine was in each round.
    if (rows.length > 0) others = othersShare(cpuAtStart, sampleCpu(pids));
    if (options.outcomeSizes.length > 0) {
      process.stdout.write('starting PostgreSQL 17 with its default durability...\n');
      postgres = await startPostgres({ fast: false });
      for (const size of options.outcomeSizes) {
        storesRows.push(await measureStoresSize(size, postgres, clients, options.storeCounts, log));
      }
    }
  } finally {
    clients.close();
    await postgres?.stop();
  }
  const text = [
    memoryBenchReport(rows, { quick: options.quick, loadAtStart, othersShare: others, wait }),
    ...(storesRows.length > 0 ? [storesBenchReport(storesRows, options.storeCounts)] : []),
  ].join('\n\n');
  printAndRecord('bench:memory', text, options.record);
}

runScript(main);
