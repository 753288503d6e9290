/**
 * `corepack pnpm bench:plugin`: what the plugin costs a worker, against no plugin and against
 * Temporal's own `OpenTelemetryPlugin`, measured in one run on one Temporal dev server.
 *
 * Each configuration (no plugin; StompyPlugin with embedded memory; StompyPlugin with memory over
 * loopback HTTP; OpenTelemetryPlugin) has a worker in its own process. Rounds interleave the
 * configurations, so drift on a shared machine hits them alike, and each round's throughput is
 * compared with the same round's no-plugin run. Per round and configuration: workflows/s, the worker
 * process's CPU per workflow, its event-loop delay, and the latency added in front of activities for
 * warm and first-seen customers. Prints the figures, checks issue 7's targets and records the section
 * in docs/benchmarks.md.
 *
 * Options (arguments or environment):
 *   --rounds 5  --workflows 300  --concurrency 20  --cold 60  --warm-up 60
 *   --quick                BENCH_QUICK=1     a smoke run (2 rounds of 40 workflows)
 *   --no-record            BENCH_RECORD=0    print only; leave docs/benchmarks.md alone
 *   --wait-quiet 10        BENCH_WAIT_QUIET  first wait up to 10 minutes for a 1-minute load under 0.8
 */
import { settleBeforeMeasuring } from '../shared/quiet-machine';
import { printAndRecord, runScript } from '../shared/run-script';
import { BUSY_LOAD } from '../shared/run-conditions';
import { startFleet } from './bench-fleet';
import { parsePluginBenchOptions } from './plugin-bench-options';
import { pluginBenchReport } from './plugin-bench-report';
import { summarise } from './plugin-bench-summary';
import { runRounds, warmUp } from './plugin-rounds';
import { CONFIGURATIONS } from './worker-protocol';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parsePluginBenchOptions(process.argv.slice(2), process.env);
  const { wait, loadAtStart } = await settleBeforeMeasuring(options.waitQuietMinutes, BUSY_LOAD);
  const fleet = await startFleet(
    { configurations: CONFIGURATIONS, maxConcurrentActivities: options.concurrency * 3 },
    log,
  );
  let text: string;
  try {
    log(`Warming up each worker with ${options.warmUpWorkflows} workflows...`);
    await warmUp(fleet, options.warmUpWorkflows, options.concurrency);
    const run = await runRounds(fleet, options, log);
    const conditions = { quick: options.quick, loadAtStart, othersShare: run.othersShare, wait };
    text = pluginBenchReport(run, summarise(run), options, conditions);
  } finally {
    await fleet.stop();
  }
  printAndRecord('bench:plugin', text, options.record);
}

runScript(main);
