import { cpus } from 'node:os';
import { describeMachine } from '../shared/machine';
import type { Latency } from '../shared/percentiles';
import { describeConditions, type RunConditions } from '../shared/run-conditions';
import type { SearchShape } from './outcome-corpus';
import type { ServerCost } from './server-meter';

/** Issue 3's target for lock_context calls per second, at the largest corpus. */
export const LOCK_TARGET_PER_SECOND = 1500;
/** Issue 3's target for a search's p50 in milliseconds, at the largest corpus. */
export const SEARCH_P50_TARGET_MS = 3;

/** lock_context calls per second, each way of calling, at one corpus size. */
export interface LockRow {
  sdk1: number;
  sdk8: number;
  lean8: number;
  lean8Cost: ServerCost;
  batch: number;
  direct: number;
}

/** One search shape's latency, each way of calling, at one corpus size. */
export interface SearchRow {
  shape: SearchShape;
  sdk: Latency;
  lean: Latency;
  direct: Latency;
  leanCost: ServerCost;
  results: number;
}

/** Everything measured at one corpus size. */
export interface SizeRow {
  size: number;
  populateSeconds: number;
  lock: LockRow;
  searches: SearchRow[];
}

function fmt(ms: number | undefined): string {
  return ms === undefined || Number.isNaN(ms) ? '?' : ms.toFixed(2);
}

function us(value: number): string {
  return Number.isNaN(value) ? '?' : `${Math.round(value)}`;
}

function costLine(label: string, cost: ServerCost, size: string): string {
  const share = Math.round((100 * cost.storeUsPerCall) / cost.busyUsPerCall);
  return `| ${size} | ${label} | ${us(cost.cpuUsPerCall)} | ${us(cost.busyUsPerCall)} | ${us(cost.storeUsPerCall)} | ${us(cost.storeCpuUsPerCall)} | ${Number.isFinite(share) ? share : '?'}% |`;
}

/** Where a recall search's time goes: the store, the rest of the server, and the client. */
function searchTime(search: SearchRow): string {
  const { leanCost: cost } = search;
  const server = `${us(cost.busyUsPerCall)} µs busy in the server per call on average, ${us(cost.storeUsPerCall)} µs of it in the store`;
  return (
    `${search.shape.name}: store alone ${fmt(search.direct.p50)} ms; ${server}; lean client ${fmt(search.lean.p50)} ms; ` +
    `SDK client ${fmt(search.sdk.p50)} ms, so ${fmt(search.sdk.p50 - search.lean.p50)} ms is the SDK client's own work ` +
    '(its transport, parsing and validating the response)'
  );
}

function targets(largest: SizeRow): string[] {
  const recall = largest.searches.filter((s) => s.shape.recall);
  const recallP50 = Math.max(...recall.map((s) => s.sdk.p50));
  const allP50 = Math.max(...largest.searches.map((s) => s.sdk.p50));
  const worst = largest.searches.reduce((a, b) => (b.sdk.p50 > a.sdk.p50 ? b : a));
  const { lock } = largest;
  const cost = lock.lean8Cost;
  const cpuCapacity = 1e6 / cost.cpuUsPerCall;
  const met = (ok: boolean) => (ok ? 'met' : 'missed');
  return [
    '',
    `### Targets at ${largest.size.toLocaleString('en')} contexts`,
    '',
    `- search p50 <= ${SEARCH_P50_TARGET_MS} ms: the plugin's recall searches (SDK client, the client the plugin uses): ` +
      `**${fmt(recallP50)} ms, ${met(recallP50 <= SEARCH_P50_TARGET_MS)}**; every search shape: ` +
      `${fmt(allP50)} ms (${worst.shape.name}), ${met(allP50 <= SEARCH_P50_TARGET_MS)}. ` +
      `Where the time goes (p50): ${recall.map(searchTime).join('; ')}.`,
    `- lock_context >= ${LOCK_TARGET_PER_SECOND.toLocaleString('en')} calls/s: **${Math.round(lock.lean8)} calls/s from 8 lean clients, ` +
      `${met(lock.lean8 >= LOCK_TARGET_PER_SECOND)}** (${Math.round(lock.sdk8)} from 8 SDK clients, ` +
      `whose process shares the ${cpus().length} cores with the server). Where the time goes: per call the server's event loop ` +
      `was busy ${us(cost.busyUsPerCall)} µs, ${us(cost.storeUsPerCall)} µs of it in the store (${us(cost.storeCpuUsPerCall)} µs of CPU, ` +
      'mostly the SQLite commit, which for these contexts writes about 27 WAL pages: the row, its indexes, a leaf per tag, the FTS segment) and ' +
      `${us(cost.busyUsPerCall - cost.storeUsPerCall)} µs in HTTP, the MCP SDK's transport and protocol, zod and JSON. ` +
      `The server spent ${us(cost.cpuUsPerCall)} µs of CPU per call, ` +
      `so a core of its own would sustain about ${Math.round(cpuCapacity)} calls/s if nothing waited on the disk. ` +
      `The plugin writes through lock_context_batch when the server offers it: ${Math.round(lock.batch)} contexts/s.`,
  ];
}

/** The `bench:memory` section of docs/benchmarks.md, in Markdown. */
export function memoryBenchReport(rows: readonly SizeRow[], run: RunConditions): string {
  const largest = rows[rows.length - 1];
  const lines = [
    '## Memory server (`corepack pnpm bench:memory`)',
    '',
    `Machine: ${describeMachine()}. ${describeConditions(run)}`,
    '',
    'Set-up: the server in one process (loopback Streamable HTTP, stateless, one SQLite file in WAL mode, synchronous=NORMAL; lock_context calls that arrive in the same turn of the event loop are committed together, each in its own savepoint), ' +
      "the clients in another (the MCP SDK's `Client` + `StreamableHTTPClientTransport`, and a lean JSON-RPC client " +
      'on kept-alive connections, which measures what the server sustains when the client costs little). ' +
      "Contexts read like the plugin's outcomes (Workflow, Activity, Customer, Success, Status, Issues, Duration, ...; " +
      'tags `temporal`, `activity-outcome`, `status:*`, `activity:*`, `issue`, `issue:*`, `customer:Cn`), ' +
      '5,000 customers; each size on a new SQLite file, the bulk inserted through the store, 100 per transaction ' +
      `(${rows.map((r) => `${r.size.toLocaleString('en')} in ${r.populateSeconds.toFixed(1)} s`).join(', ')}).`,
    '',
    '### lock_context',
    '',
    '| contexts | 1 SDK client, calls/s | 8 SDK clients, calls/s | 8 lean clients, calls/s (best of runs) | lock_context_batch (100 a call), contexts/s | store called directly, calls/s |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ({ size, lock }) =>
        `| ${size.toLocaleString('en')} | ${Math.round(lock.sdk1)} | ${Math.round(lock.sdk8)} | ${Math.round(lock.lean8)} | ${Math.round(lock.batch)} | ${Math.round(lock.direct)} |`,
    ),
    '',
    '### context_search latency',
    '',
    '| contexts | search | results | SDK client p50 / p99 ms | lean client p50 / p99 ms | store directly p50 / p99 ms |',
    '|---:|---|---:|---:|---:|---:|',
    ...rows.flatMap(({ size, searches }) =>
      searches.map(
        (s, i) =>
          `| ${i === 0 ? size.toLocaleString('en') : ''} | ${s.shape.label} | ${s.results} | ${fmt(s.sdk.p50)} / ${fmt(s.sdk.p99)} | ` +
          `${fmt(s.lean.p50)} / ${fmt(s.lean.p99)} | ${fmt(s.direct.p50)} / ${fmt(s.direct.p99)} |`,
      ),
    ),
    '',
    "### Where a call's time goes (server process, lean client)",
    '',
    "Per call, measured in the server's process during the lean-client runs: its CPU time (all threads), the time its " +
      "event loop was busy, the time inside the store (SQLite, validation, ranking) and the process's CPU time meanwhile (time in " +
      'the store beyond that CPU is waiting, mostly on the disk while a commit checkpoints the WAL, or for a core). The rest of the busy time is ' +
      "HTTP, the MCP SDK's server transport and protocol (a transport and a connect/close per stateless request), " +
      'zod validation and JSON.',
    '',
    '| contexts | call | server CPU µs | event loop busy µs | in the store µs | store CPU µs | store share of busy |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...rows.flatMap(({ size, lock, searches }) => [
      costLine('lock_context', lock.lean8Cost, size.toLocaleString('en')),
      ...searches
        .filter((s) => s.shape.recall)
        .map((s) => costLine(`search: ${s.shape.name}`, s.leanCost, '')),
    ]),
  ];
  if (largest) lines.push(...targets(largest));
  return lines.join('\n');
}
