import { busyShare, sampleCpu } from '../shared/cpu-sample';
import type { Latency } from '../shared/percentiles';
import { timeDirectly } from './bench-server';
import type { ClientProcess } from './client-process';
import type { StoreConfig } from './bench-stores';
import { insightsKeys, type InsightsKeyKind } from './insights-corpus';
import { SEARCH_SHAPES } from './outcome-corpus';
import { pagePaths, timePage } from './page-reads';

/** Calls each configuration makes in one round of the stores section. */
export interface StoreCounts {
  /** Rounds; each measures every configuration once, in a rotated order. */
  rounds: number;
  /** `lock_context` calls shared by {@link lockClients} lean clients. */
  locks: number;
  lockClients: number;
  /** `lock_context_batch` calls of 100 contexts, shared by {@link batchClients} lean clients. */
  batches: number;
  batchClients: number;
  /** Timed searches per search shape (SDK client, and the store directly). */
  searches: number;
  /** Timed `outcome_insights` calls per key kind (SDK client, and the store directly). */
  insightCalls: number;
  /** Timed HTTP loads of each view of the web page. */
  pageLoads: number;
}

/** The key kinds the stores section asks `outcome_insights` about. */
export const INSIGHTS_KINDS: readonly InsightsKeyKind[] = ['hot', 'entity'];

/** What one configuration measured in one round. */
export interface ConfigRound {
  /** `lock_context` calls/s of the lean clients, spread over the configuration's servers. */
  readonly lockPerSecond: number;
  /** Share of the machine's CPU capacity busy (any process) while the lock_context clients ran. */
  readonly lockCpuBusy: number | undefined;
  /** Contexts/s through `lock_context_batch`, 100 a call. */
  readonly batchPerSecond: number;
  /** Reads (configurations with `reads` only): per search shape and insights key kind, SDK client and store. */
  readonly search?: Readonly<Record<string, { sdk: Latency; direct: Latency }>>;
  readonly insights?: Readonly<Record<InsightsKeyKind, { sdk: Latency; direct: Latency }>>;
  /** Reads: each view of the web page (`pagePaths`), by HTTP GET. */
  readonly pages?: Readonly<Record<string, Latency>>;
}

function latency(figures: { p50?: number; p99?: number }): Latency {
  return { p50: figures.p50 ?? NaN, p99: figures.p99 ?? NaN };
}

/** The writes of one round: lock_context calls/s, then lock_context_batch contexts/s. */
async function measureWrites(
  config: StoreConfig,
  clients: ClientProcess,
  counts: StoreCounts,
  round: number,
): Promise<Pick<ConfigRound, 'lockPerSecond' | 'lockCpuBusy' | 'batchPerSecond'>> {
  const urls = [...config.urls];
  const prefix = `bench-${config.name}-r${round}-`;
  const cpuBefore = sampleCpu([]);
  const lock = await clients.run({
    kind: 'lock',
    client: 'lean',
    urls,
    concurrency: counts.lockClients,
    calls: counts.locks,
    offset: 0,
    prefix: `${prefix}lock-`,
  });
  const lockCpuBusy = busyShare(cpuBefore, sampleCpu([]));
  const batch = await clients.run({
    kind: 'batch',
    client: 'lean',
    urls,
    concurrency: counts.batchClients,
    calls: counts.batches,
    perCall: 100,
    offset: 0,
    prefix: `${prefix}batch-`,
  });
  return { lockPerSecond: lock.perSecond ?? NaN, lockCpuBusy, batchPerSecond: batch.perSecond ?? NaN };
}

/** The reads of one round: every search shape, then each insights key kind, by SDK client and by store. */
async function measureReads(
  config: StoreConfig,
  clients: ClientProcess,
  counts: StoreCounts,
  size: number,
): Promise<Pick<ConfigRound, 'search' | 'insights' | 'pages'>> {
  const url = config.urls[0] ?? '';
  const { store } = config;
  const search: Record<string, { sdk: Latency; direct: Latency }> = {};
  for (const shape of SEARCH_SHAPES) {
    const sdk = await clients.run({
      kind: 'search',
      client: 'sdk',
      url,
      shape: shape.name,
      size,
      searches: counts.searches,
    });
    const direct = await timeDirectly(
      counts.searches,
      (n) => shape.args(n, size),
      (args) => store.search(args),
    );
    search[shape.name] = { sdk: latency(sdk), direct };
  }
  const insights = {} as Record<InsightsKeyKind, { sdk: Latency; direct: Latency }>;
  for (const kind of INSIGHTS_KINDS) {
    const sdk = await clients.run({
      kind: 'insights',
      client: 'sdk',
      url,
      key: kind,
      size,
      calls: counts.insightCalls,
    });
    const direct = await timeDirectly(
      counts.insightCalls,
      (n) => insightsKeys(kind, n, size),
      (keys) => store.insights({ keys }),
    );
    insights[kind] = { sdk: latency(sdk), direct };
  }
  const pages: Record<string, Latency> = {};
  for (const [view, path] of Object.entries(pagePaths(size))) {
    pages[view] = await timePage(url, path, counts.pageLoads);
  }
  return { search, insights, pages };
}

/** Measures one configuration in round `round` (its written topics carry the round, so all are new). */
export async function measureConfigRound(
  config: StoreConfig,
  clients: ClientProcess,
  counts: StoreCounts,
  size: number,
  round: number,
): Promise<ConfigRound> {
  const writes = await measureWrites(config, clients, counts, round);
  const reads = config.reads ? await measureReads(config, clients, counts, size) : {};
  return { ...writes, ...reads };
}
