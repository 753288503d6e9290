import { loadavg } from 'node:os';
import { MS_PER_TICK, othersShare, processTree, sampleCpu } from '../shared/cpu-sample';
import { waitForQuietNeighbours } from '../shared/quiet-machine';
import { taskQueueOf, warmCustomer, type BenchFleet } from './bench-fleet';
import type { PluginBenchOptions } from './plugin-bench-options';
import { measuringShare } from './plugin-bench-summary';
import { runWorkflows } from './workflow-load';
import {
  CONFIGURATIONS,
  PLUGIN_CONFIGURATIONS,
  type Configuration,
  type WorkerCost,
} from './worker-protocol';

/** One configuration measured in one round. */
export interface RoundResult {
  round: number;
  configuration: Configuration;
  workflows: number;
  /** Seconds from the first start to the last result, seen by the client. */
  seconds: number;
  cost: WorkerCost;
  /** Share of the machine's CPU capacity used by processes other than the benchmark's during the round. */
  othersShare: number | undefined;
  /** CPU time of the HTTP memory server's process during the round, in milliseconds. */
  memoryServerMs: number | undefined;
  /** The 1-minute load average at the round's end. */
  loadAfter: number;
  /** How long the round first waited for other processes to quieten down, in ms. */
  quietWaitMs: number;
}

/** What a run measured. */
export interface PluginBenchRun {
  rounds: RoundResult[];
  /** Per StompyPlugin configuration, the probe's samples for a first-seen customer's first activity. */
  firstSeen: Map<Configuration, number[]>;
  /** Share of the machine's CPU capacity used by other processes while the rounds measured (weighted by time). */
  othersShare: number | undefined;
}

/** The order of the configurations in round `round`: rotated each round, so none is always first. */
export function roundOrder(round: number): Configuration[] {
  const k = round % CONFIGURATIONS.length;
  return [...CONFIGURATIONS.slice(k), ...CONFIGURATIONS.slice(0, k)];
}

/** A batch of workflows for one worker to run while it measures itself. */
export interface MeasuredBatch {
  idPrefix: string;
  count: number;
  concurrency: number;
  customerOf: (i: number) => string;
  /** Samples only this activity's attempts with the latency probe. */
  probeActivity?: string;
  /** Waits at most this long for other processes to quieten down first; 0: does not wait. */
  quietGateMs?: number;
}

/**
 * Runs a batch of workflows on one worker while it measures itself, and what else the machine did
 * meanwhile; first waits (up to `quietGateMs`) for other processes to leave the machine alone.
 */
export async function measuredBatch(
  fleet: BenchFleet,
  configuration: Configuration,
  batch: MeasuredBatch,
): Promise<Omit<RoundResult, 'round' | 'loadAfter'>> {
  const worker = fleet.workers.get(configuration);
  if (!worker) throw new Error(`no ${configuration} worker`);
  const ours = processTree(process.pid);
  const gate = batch.quietGateMs ? await waitForQuietNeighbours(ours, batch.quietGateMs) : { waitedMs: 0 };
  const serverPids = fleet.memory.pid === undefined ? [] : [fleet.memory.pid];
  await worker.measure(batch.probeActivity);
  const machineBefore = sampleCpu(ours);
  const serverBefore = sampleCpu(serverPids);
  const seconds = await runWorkflows(fleet.env.client, { ...batch, taskQueue: taskQueueOf(configuration) });
  const cost = await worker.report();
  const machineAfter = sampleCpu(ours);
  const serverAfter = sampleCpu(serverPids);
  return {
    configuration,
    workflows: batch.count,
    seconds,
    cost,
    othersShare: othersShare(machineBefore, machineAfter),
    memoryServerMs:
      serverBefore && serverAfter ? (serverAfter.own - serverBefore.own) * MS_PER_TICK : undefined,
    quietWaitMs: gate.waitedMs,
  };
}

/** Runs `count` warm workflows on every worker, measured but not kept, so JIT, caches and connections are warm. */
export async function warmUp(fleet: BenchFleet, count: number, concurrency: number): Promise<void> {
  if (count === 0) return;
  for (const configuration of fleet.workers.keys()) {
    await measuredBatch(fleet, configuration, {
      idPrefix: `warm-up-${configuration}`,
      count,
      concurrency,
      customerOf: warmCustomer,
    });
  }
}

/**
 * The rounds: in each, every configuration runs `workflows` workflows for the 20 warm customers while
 * its worker measures itself; then each StompyPlugin configuration runs `coldWorkflows` workflows
 * with a first-seen customer each, probing only their first activity (the one that meets the new key).
 */
export async function runRounds(
  fleet: BenchFleet,
  options: PluginBenchOptions,
  log: (line: string) => void,
): Promise<PluginBenchRun> {
  const rounds: RoundResult[] = [];
  const firstSeen = new Map<Configuration, number[]>(PLUGIN_CONFIGURATIONS.map((c) => [c, []]));
  for (let round = 1; round <= options.rounds; round++) {
    for (const configuration of roundOrder(round - 1)) {
      const result = await measuredBatch(fleet, configuration, {
        idPrefix: `${configuration}-r${round}`,
        count: options.workflows,
        concurrency: options.concurrency,
        customerOf: warmCustomer,
        quietGateMs: options.quietGateSeconds * 1000,
      });
      rounds.push({ ...result, round, loadAfter: loadavg()[0] ?? NaN });
      log(
        `round ${round}/${options.rounds} ${configuration}: ${(options.workflows / result.seconds).toFixed(1)} workflows/s, ` +
          `${(result.cost.cpuMs / options.workflows).toFixed(1)} ms CPU per workflow, ` +
          `event-loop delay p99 ${result.cost.eventLoopDelay.p99.toFixed(1)} ms`,
      );
      const samples = firstSeen.get(configuration);
      if (samples && options.coldWorkflows > 0) {
        const cold = await measuredBatch(fleet, configuration, {
          idPrefix: `${configuration}-first-seen-r${round}`,
          count: options.coldWorkflows,
          concurrency: options.concurrency,
          customerOf: (i) => `N-${configuration}-${round}-${i}`,
          probeActivity: 'lookup',
          quietGateMs: options.quietGateSeconds * 1000,
        });
        samples.push(...cold.cost.probeMs);
      }
    }
  }
  return { rounds, firstSeen, othersShare: measuringShare(rounds) };
}
