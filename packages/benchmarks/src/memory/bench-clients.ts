/**
 * The client side of `bench:memory`, run in a child process (so the server's process measures only
 * the server's CPU): MCP clients over loopback Streamable HTTP that lock and search, and report
 * calls/s or latency percentiles. Two clients: the MCP SDK's (what the plugin uses), and a lean
 * JSON-RPC client on kept-alive connections (what the server sustains when the client costs little).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { latencyOf } from '../shared/percentiles';
import { WARM_UP_CALLS } from './bench-options';
import { insightsKeys, type InsightsKeyKind } from './insights-corpus';
import { LeanJsonRpcClient } from './lean-json-rpc-client';
import { lockArguments, SEARCH_SHAPES } from './outcome-corpus';

/** What the benchmark asks the client process to do. */
export type ClientJob =
  | {
      kind: 'lock';
      client: 'sdk' | 'lean';
      /** Servers (base URLs) to call: client `i` calls `urls[i % urls.length]`. */
      urls: string[];
      /** Clients calling at once, each waiting for its answer before its next call. */
      concurrency: number;
      calls: number;
      /** First corpus index, and a topic prefix, so every call locks a new topic. */
      offset: number;
      prefix: string;
    }
  | {
      kind: 'batch';
      client: 'sdk' | 'lean';
      /** Servers to call, spread over the clients as for `lock`. */
      urls: string[];
      /** Clients calling at once; together they make `calls` calls of `perCall` contexts. */
      concurrency: number;
      calls: number;
      perCall: number;
      offset: number;
      prefix: string;
    }
  | { kind: 'search'; client: 'sdk' | 'lean'; url: string; shape: string; size: number; searches: number }
  | {
      kind: 'insights';
      client: 'sdk' | 'lean';
      url: string;
      key: InsightsKeyKind;
      size: number;
      calls: number;
    };

/** A job's figures. */
export interface ClientFigures {
  perSecond?: number;
  p50?: number;
  p99?: number;
}

type Call = (name: string, args: Record<string, unknown>) => Promise<unknown>;

/** Opens `count` clients of a kind, client `i` on server `urls[i % urls.length]`; each is a `Call` and a `close`. */
async function openClients(
  kind: 'sdk' | 'lean',
  urls: readonly string[],
  count: number,
): Promise<{ calls: Call[]; close: () => Promise<void> }> {
  const urlOf = (i: number): URL => new URL(`${urls[i % urls.length] ?? ''}/mcp`);
  if (kind === 'lean') {
    const leans = urls.map((_, i) => new LeanJsonRpcClient(urlOf(i)));
    const calls = Array.from({ length: count }, (_, i): Call => {
      const lean = leans[i % leans.length] as LeanJsonRpcClient;
      return (name, args) => lean.callTool(name, args);
    });
    return { calls, close: async () => leans.forEach((lean) => lean.close()) };
  }
  const clients = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const client = new Client({ name: 'memory-bench', version: '0' });
      await client.connect(new StreamableHTTPClientTransport(urlOf(i)));
      return client;
    }),
  );
  const calls = clients.map((client): Call => async (name, args) => {
    const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 30_000 });
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content).slice(0, 300)}`);
    return result;
  });
  return { calls, close: async () => void (await Promise.all(clients.map((c) => c.close()))) };
}

/** Runs one job and returns its figures; its clients are closed whether it succeeds or not. */
export async function runClientJob(job: ClientJob): Promise<ClientFigures> {
  const urls = job.kind === 'lock' || job.kind === 'batch' ? job.urls : [job.url];
  const count = job.kind === 'lock' || job.kind === 'batch' ? job.concurrency : 1;
  const { calls, close } = await openClients(job.client, urls, count);
  try {
    if (job.kind === 'batch') return { perSecond: await lockBatches(calls, job) };
    if (job.kind === 'lock') return { perSecond: await lockConcurrently(calls, job) };
    if (job.kind === 'insights') return await timeInsights(calls[0] as Call, job);
    return await timeSearches(calls[0] as Call, job);
  } finally {
    await close();
  }
}

/** Contexts stored per second through `lock_context_batch`, each client waiting for its answer before its next call. */
async function lockBatches(
  calls: readonly Call[],
  job: Extract<ClientJob, { kind: 'batch' }>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    calls.map(async (call) => {
      while (next < job.calls) {
        const k = next++;
        const contexts = Array.from({ length: job.perCall }, (_, j) =>
          lockArguments(job.offset + k * job.perCall + j, job.prefix),
        );
        await call('lock_context_batch', { contexts });
      }
    }),
  );
  return (job.calls * job.perCall) / ((performance.now() - started) / 1000);
}

/** `lock_context` calls per second, each client waiting for its answer before its next call. */
async function lockConcurrently(
  calls: readonly Call[],
  job: Extract<ClientJob, { kind: 'lock' }>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    calls.map(async (call) => {
      while (next < job.calls) {
        const i = next++;
        await call('lock_context', lockArguments(job.offset + i, job.prefix));
      }
    }),
  );
  return job.calls / ((performance.now() - started) / 1000);
}

/**
 * p50/p99 of `calls` calls of `tool` after a warm-up; `argsOf(n)` gives the arguments of the `n`-th
 * timed call (warm-up calls use `n` from 1,000,000, so they differ from the timed ones).
 */
async function timeCalls(
  call: Call,
  tool: string,
  argsOf: (n: number) => Record<string, unknown>,
  calls: number,
): Promise<ClientFigures> {
  for (let n = 0; n < WARM_UP_CALLS; n++) await call(tool, argsOf(1_000_000 + n));
  const times: number[] = [];
  for (let n = 0; n < calls; n++) {
    const args = argsOf(n);
    const started = performance.now();
    await call(tool, args);
    times.push(performance.now() - started);
  }
  return latencyOf(times);
}

/** p50/p99 of one search shape, after a warm-up. */
function timeSearches(call: Call, job: Extract<ClientJob, { kind: 'search' }>): Promise<ClientFigures> {
  const shape = SEARCH_SHAPES.find((s) => s.name === job.shape);
  if (!shape) throw new Error(`unknown search shape ${job.shape}`);
  return timeCalls(call, 'context_search', (n) => shape.args(n, job.size), job.searches);
}

/** p50/p99 of `outcome_insights` for one kind of key, after a warm-up. */
function timeInsights(call: Call, job: Extract<ClientJob, { kind: 'insights' }>): Promise<ClientFigures> {
  return timeCalls(
    call,
    'outcome_insights',
    (n) => ({ keys: insightsKeys(job.key, n, job.size) }),
    job.calls,
  );
}
