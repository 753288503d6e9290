/**
 * `corepack pnpm bench:plugin:profile`: where a worker with the plugin spends its CPU. Runs the
 * `bench:plugin` set-up with each profiled worker (by default the plugin with embedded memory, and
 * with memory over HTTP) under Node's `--cpu-prof`, loads it with workflows, then prints the top
 * functions by self time and the share of the plugin's own code against the Temporal SDK,
 * better-sqlite3, the MCP SDK, pino and the rest. Records the section in docs/benchmarks.md.
 *
 * Options: --configs embedded,http  --workflows 600  --concurrency 20  --warm-up 60  --top 25
 *          --quiet-gate 120  --keep-profiles <folder> (keeps the .cpuprofile files, for Chrome DevTools)
 *          --quick  --no-record  --wait-quiet <minutes>   (as bench:plugin)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { settleBeforeMeasuring } from '../shared/quiet-machine';
import { printAndRecord, runScript } from '../shared/run-script';
import { BUSY_LOAD } from '../shared/run-conditions';
import { startFleet, warmCustomer } from '../plugin/bench-fleet';
import { measuringShare } from '../plugin/plugin-bench-summary';
import { measuredBatch, warmUp } from '../plugin/plugin-rounds';
import type { Configuration } from '../plugin/worker-protocol';
import type { CpuProfile } from './cpu-profile';
import { summariseProfiles } from './cpu-profile-summary';
import { parseProfileOptions } from './profile-options';
import { profileReport, type ProfiledConfiguration } from './profile-report';
import { sourceMapLocator } from './source-maps';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The profiles a worker process wrote into `dir`, one per JS thread. */
function readProfiles(dir: string): CpuProfile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile);
}

async function main(): Promise<void> {
  const options = parseProfileOptions(process.argv.slice(2), process.env);
  const { wait, loadAtStart } = await settleBeforeMeasuring(options.waitQuietMinutes, BUSY_LOAD);
  const dir = options.keepIn ? resolve(options.keepIn) : mkdtempSync(join(tmpdir(), 'plugin-profile-'));
  const dirOf = (c: Configuration) => join(dir, c);
  for (const c of options.configurations) {
    mkdirSync(dirOf(c), { recursive: true });
    if (readdirSync(dirOf(c)).length > 0)
      throw new Error(`${dirOf(c)} is not empty: keep profiles in a new folder`);
  }
  const batches = new Map<Configuration, Awaited<ReturnType<typeof measuredBatch>>>();
  try {
    const fleet = await startFleet(
      {
        configurations: options.configurations,
        maxConcurrentActivities: options.concurrency * 3,
        workerOptions: (c) => ({
          execArgv: ['--cpu-prof', `--cpu-prof-dir=${dirOf(c)}`],
          workflowBundleFile: join(dirOf(c), 'workflow-bundle.js'),
        }),
      },
      log,
    );
    try {
      log(`Warming up each worker with ${options.warmUpWorkflows} workflows...`);
      await warmUp(fleet, options.warmUpWorkflows, options.concurrency);
      for (const configuration of options.configurations) {
        log(`Profiling the ${configuration} worker over ${options.workflows} workflows...`);
        const batch = {
          idPrefix: `profile-${configuration}`,
          count: options.workflows,
          concurrency: options.concurrency,
          customerOf: warmCustomer,
          quietGateMs: options.quietGateSeconds * 1000,
        };
        batches.set(configuration, await measuredBatch(fleet, configuration, batch));
      }
    } finally {
      await fleet.stop(); // the workers exit, writing their profiles
    }
    const results: ProfiledConfiguration[] = options.configurations.map((configuration) => {
      const batch = batches.get(configuration);
      if (!batch) throw new Error(`no measurement of ${configuration}`);
      const { cost } = batch;
      const locate = sourceMapLocator(join(dirOf(configuration), 'workflow-bundle.js'));
      const summary = summariseProfiles(readProfiles(dirOf(configuration)), { window: cost.window, locate });
      return {
        configuration,
        workflows: options.workflows,
        cpuMs: cost.cpuMs,
        othersShare: batch.othersShare,
        summary,
      };
    });
    const text = profileReport(results, options, {
      quick: options.quick,
      loadAtStart,
      othersShare: measuringShare([...batches.values()]),
      wait,
    });
    printAndRecord('bench:plugin:profile', text, options.record);
  } finally {
    if (options.keepIn) log(`profiles kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

runScript(main);
