/**
 * `corepack pnpm bench:plugin`: what the plugin costs a worker, measured in one run on one Temporal
 * dev server. Workflow throughput with and without the plugin (configurations interleaved over
 * several rounds, so drift on a shared machine hits them alike), and the latency the plugin adds in
 * front of each activity (p50/p99), with a warm cache (customers seen before) and a cold one (a new
 * customer every workflow), against the embedded server and a memory server over loopback HTTP.
 * Prints the figures and records them in docs/benchmarks.md. `--quick` for a smoke run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { StompyPlugin } from '@temporal-stompy/plugin';
import { startTestEnvironment } from '@temporal-stompy/testing';
import { activityInfo } from '@temporalio/activity';
import { Worker, type ActivityInterceptorsFactory } from '@temporalio/worker';
import pino from 'pino';
import { describeMachine } from '../shared/machine';
import { median, percentile } from '../shared/percentiles';
import { BENCHMARKS_DOC, recordSection } from '../shared/record-figures';
import * as activities from './bench-activities';

const quick = process.argv.includes('--quick');
const WORKFLOWS_PER_ROUND = quick ? 40 : 200;
const ROUNDS = quick ? 2 : 4;
const CONCURRENCY = 20;
const workflowsPath = require.resolve('./bench-workflows');
const silent = pino({ level: 'silent' });

type Config = 'without' | 'embedded' | 'http';
type Env = Awaited<ReturnType<typeof startTestEnvironment>>;

/** Measures, outside the plugin, the time from an attempt reaching the worker to its function running. */
function latencyProbe(onlyActivity?: string): { factory: ActivityInterceptorsFactory; samples: number[] } {
  const samples: number[] = [];
  const factory: ActivityInterceptorsFactory = () => ({
    inbound: {
      async execute(input, next) {
        const before = performance.now();
        const result = await next(input);
        const info = activityInfo();
        const started = activities.startedAt.get(
          `${info.workflowExecution?.workflowId ?? ''}/${info.activityId}`,
        );
        if (started !== undefined && (onlyActivity === undefined || info.activityType === onlyActivity)) {
          samples.push(started - before);
        }
        return result;
      },
    },
  });
  return { factory, samples };
}

async function runRound(
  env: Env,
  plugin: StompyPlugin | undefined,
  round: string,
  customers: (i: number) => string,
  onlyActivity?: string,
) {
  const taskQueue = `bench-${round}`;
  const probe = latencyProbe(onlyActivity);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities,
    interceptors: { activity: [probe.factory] },
    maxConcurrentActivityTaskExecutions: CONCURRENCY * 3,
    ...(plugin ? { plugins: [plugin] } : {}),
  });
  const seconds = await worker.runUntil(async () => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < WORKFLOWS_PER_ROUND) {
          const i = next++;
          await env.client.workflow.execute('BenchWorkflow', {
            taskQueue,
            workflowId: `${round}-${i}`,
            args: [{ customerId: customers(i) }],
          });
        }
      }),
    );
    return (performance.now() - started) / 1000;
  });
  return { throughput: WORKFLOWS_PER_ROUND / seconds, samples: probe.samples };
}

/** Starts `stompy-memory serve` in a child process and resolves with its URL once it listens. */
function serveMemoryInChild(dbPath: string): Promise<{ url: string; stop(): void }> {
  const bin = require.resolve('@temporal-stompy/memory-server/bin/stompy-memory.js');
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', dbPath], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error('stompy-memory did not start within 30 s')), 30_000);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/mcp/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise({ url: match[1], stop: () => child.kill('SIGTERM') });
      }
    });
    child.once('exit', (code) => reject(new Error(`stompy-memory exited with ${String(code)}`)));
  });
}

async function main(): Promise<void> {
  console.log('Starting a Temporal dev server...');
  const env = await startTestEnvironment({ runtimeLogLevel: 'ERROR' });
  const dir = mkdtempSync(join(tmpdir(), 'plugin-bench-'));
  // The HTTP memory server runs as its own process, as it would in production.
  const server = await serveMemoryInChild(join(dir, 'http-memory.db'));
  const plugins: Record<Exclude<Config, 'without'>, StompyPlugin> = {
    embedded: new StompyPlugin({
      memory: { dbPath: join(dir, 'embedded-memory.db') },
      outbox: { path: join(dir, 'embedded-outbox.db') },
      rules: [{ workflow: 'BenchWorkflow', entities: { customer: 'args.0.customerId' } }],
      logger: silent,
    }),
    http: new StompyPlugin({
      memory: { url: `${server.url}/mcp` },
      outbox: { path: join(dir, 'http-outbox.db') },
      rules: [{ workflow: 'BenchWorkflow', entities: { customer: 'args.0.customerId' } }],
      logger: silent,
    }),
  };
  const throughput: Record<Config, number[]> = { without: [], embedded: [], http: [] };
  const latency: Record<string, number[]> = {};
  const add = (name: string, samples: number[]) => (latency[name] = [...(latency[name] ?? []), ...samples]);
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const config of ['without', 'embedded', 'http'] as const) {
        // Warm: 20 customers seen again and again (their keys stay cached).
        const result = await runRound(
          env,
          config === 'without' ? undefined : plugins[config],
          `${config}-warm-${r}`,
          (i) => `W${i % 20}`,
        );
        throughput[config].push(result.throughput);
        add(`${config}-warm`, result.samples);
        if (config !== 'without') {
          // Cold: a customer never seen before in every workflow.
          // Only a workflow's first activity meets its cold key (the next two find it cached).
          const cold = await runRound(
            env,
            plugins[config],
            `${config}-cold-${r}`,
            (i) => `cold-${r}-${i}`,
            'lookup',
          );
          add(`${config}-cold`, cold.samples);
        }
        process.stdout.write(
          `round ${r + 1}/${ROUNDS} ${config}: ${result.throughput.toFixed(1)} workflows/s\n`,
        );
      }
    }
  } finally {
    server.stop();
    await env.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
  const base = median(latency['without-warm'] ?? []);
  const added = (name: string) => (latency[name] ?? []).map((v) => v - base);
  const ratio = (config: Config) => median(throughput[config]) / median(throughput.without);
  const rows = [
    ['embedded', 'warm'],
    ['embedded', 'cold'],
    ['http', 'warm'],
    ['http', 'cold'],
  ].map(([config, cache]) => {
    const values = added(`${config}-${cache}`);
    return `| ${config === 'http' ? 'loopback HTTP' : 'embedded'} | ${cache} | ${percentile(values, 50).toFixed(2)} | ${percentile(values, 99).toFixed(2)} | ${values.length} |`;
  });
  const warmP50 = Math.max(percentile(added('embedded-warm'), 50), percentile(added('http-warm'), 50));
  const worstRatio = Math.min(ratio('embedded'), ratio('http'));
  const text = [
    '## Plugin (`corepack pnpm bench:plugin`)',
    '',
    `Machine: ${describeMachine()}. One Temporal dev server, the HTTP memory server in its own process; ${ROUNDS} rounds of ${WORKFLOWS_PER_ROUND} workflows (3 activities each, ${CONCURRENCY} at a time) per configuration, interleaved.${quick ? ' **Quick run.**' : ''}`,
    '',
    '| configuration | workflows/s (median of rounds) | ratio to without |',
    '|---|---:|---:|',
    `| without the plugin | ${median(throughput.without).toFixed(1)} | 1.00 |`,
    `| plugin, embedded memory | ${median(throughput.embedded).toFixed(1)} | ${ratio('embedded').toFixed(3)} |`,
    `| plugin, memory over loopback HTTP | ${median(throughput.http).toFixed(1)} | ${ratio('http').toFixed(3)} |`,
    '',
    `Added latency in front of each activity (recall, keys, header), beyond the ${base.toFixed(2)} ms median without the plugin:`,
    '',
    '| memory | cache | p50 ms | p99 ms | attempts |',
    '|---|---|---:|---:|---:|',
    ...rows,
    '',
    `Targets: throughput ratio >= 0.97: **${worstRatio.toFixed(3)}, ${worstRatio >= 0.97 ? 'met' : 'missed'}**; ` +
      `added p50 <= 1 ms (warm cache): **${warmP50.toFixed(2)} ms, ${warmP50 <= 1 ? 'met' : 'missed'}**. A cold key waits for the memory server, up to the recall budget (150 ms).`,
  ].join('\n');
  console.log(`\n${text}`);
  recordSection(BENCHMARKS_DOC, 'bench:plugin', text);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
