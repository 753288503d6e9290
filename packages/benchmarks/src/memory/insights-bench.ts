import BetterSqlite3 from 'better-sqlite3';
import type { MemoryStore } from '@temporal-stompy/memory-server';
import type { Latency } from '../shared/percentiles';
import type { BenchCounts } from './bench-options';
import { onNewServer, timeDirectly, type BenchServer } from './bench-server';
import type { ClientProcess } from './client-process';
import { insightsKeys, insightsOutcome, type InsightsKeyKind } from './insights-corpus';

/** `outcome_insights` for one kind of key at one size: how much it reads, and how long it takes. */
export interface InsightsKeyRow {
  readonly kind: InsightsKeyKind;
  /** Outcomes counted under the key (for entity keys, those of the first key timed). */
  readonly outcomes: number;
  /** Count rows the server reads for it (windows per handling label, dimension values, duration buckets). */
  readonly rows: number;
  readonly sdk: Latency;
  readonly lean: Latency;
  readonly direct: Latency;
}

/** Everything the insights section measured at one size. */
export interface InsightsSizeRow {
  readonly size: number;
  readonly populateSeconds: number;
  readonly keys: readonly InsightsKeyRow[];
}

/** Writes `size` outcomes with their facts through the store's `lock_context_batch`, 100 per call. */
async function populateOutcomes(store: MemoryStore, size: number): Promise<void> {
  for (let start = 0; start < size; start += 100) {
    const contexts = [];
    for (let n = start; n < Math.min(size, start + 100); n++) contexts.push(insightsOutcome(n, size));
    const batch = await store.lockBatch({ contexts });
    if (batch.refused > 0) throw new Error(`outcome refused: ${JSON.stringify(batch.results)}`);
  }
}

/** The count rows the server keeps for `key` in the default project. */
function countRows(dbPath: string, key: string): number {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    return ['outcome_windows', 'outcome_dimensions', 'outcome_durations']
      .map((table) =>
        Number(
          db.prepare(`SELECT count(*) FROM ${table} WHERE project = 'default' AND key = ?`).pluck().get(key),
        ),
      )
      .reduce((a, b) => a + b, 0);
  } finally {
    db.close();
  }
}

/** One kind of key with the store, the SDK client and the lean client. */
async function measureKey(
  server: BenchServer,
  kind: InsightsKeyKind,
  size: number,
  clients: ClientProcess,
  calls: number,
): Promise<InsightsKeyRow> {
  const { store, url, dbPath } = server;
  const direct = await timeDirectly(
    calls,
    (n) => insightsKeys(kind, n, size),
    (keys) => store.insights({ keys }),
  );
  const job = (client: 'sdk' | 'lean') => ({
    kind: 'insights' as const,
    client,
    url,
    key: kind,
    size,
    calls,
  });
  const sdk = await clients.run(job('sdk'));
  const lean = await clients.run(job('lean'));
  const [key = ''] = insightsKeys(kind, 0, size);
  const row: InsightsKeyRow = {
    kind,
    outcomes: (await store.insights({ keys: [key] })).insights[0]?.runs ?? 0,
    rows: countRows(dbPath, key),
    sdk: { p50: sdk.p50 ?? NaN, p99: sdk.p99 ?? NaN },
    lean: { p50: lean.p50 ?? NaN, p99: lean.p99 ?? NaN },
    direct,
  };
  process.stdout.write(
    `  outcome_insights ${kind} key (${row.outcomes} outcomes, ${row.rows} rows): SDK p50 ${row.sdk.p50.toFixed(2)} ms, ` +
      `lean p50 ${row.lean.p50.toFixed(2)} ms, store p50 ${direct.p50.toFixed(2)} ms\n`,
  );
  return row;
}

/** Measures `outcome_insights` on a new SQLite file holding `size` outcomes with their facts. */
export function measureInsightsSize(
  size: number,
  clients: ClientProcess,
  counts: BenchCounts,
): Promise<InsightsSizeRow> {
  return onNewServer(
    `${size.toLocaleString('en')} outcomes with facts`,
    (store) => populateOutcomes(store, size),
    async (server) => {
      const keys = [
        await measureKey(server, 'hot', size, clients, counts.insightCalls),
        await measureKey(server, 'entity', size, clients, counts.insightCalls),
      ];
      return { size, populateSeconds: server.populateSeconds, keys };
    },
  );
}
