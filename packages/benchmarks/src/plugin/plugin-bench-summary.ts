import { latencyOf, median, type Latency } from '../shared/percentiles';
import type { PluginBenchRun, RoundResult } from './plugin-rounds';
import { CONFIGURATIONS, type Configuration } from './worker-protocol';

/** The median of per-round values and their range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Added latency in front of an activity: percentiles beyond the no-plugin median, and the attempts probed. */
export interface AddedLatency extends Latency {
  attempts: number;
}

/** One configuration over all rounds. */
export interface ConfigurationSummary {
  configuration: Configuration;
  throughput: Spread;
  /** Each round's throughput over that round's no-plugin throughput. */
  ratio: Spread;
  cpuPerWorkflowMs: Spread;
  delayP50: Spread;
  delayP99: Spread;
  delayMax: Spread;
  /** Each round's event-loop delay p99 minus that round's no-plugin p99. */
  delayP99OverWithout: Spread;
  /** CPU of the HTTP memory server's process per workflow. */
  memoryServerPerWorkflowMs: Spread;
  /** Seconds each round waited at its end for the plugin to deliver what it recorded. */
  drainSeconds: Spread;
  /** Spans finished per workflow (OpenTelemetryPlugin). */
  spansPerWorkflow: number | undefined;
  /** The plugin's counters, summed over the rounds (StompyPlugin). */
  counters: Record<string, number> | undefined;
  /** Added latency for warm customers (every activity of the rounds). */
  warm: AddedLatency;
}

/** What the report needs: every configuration, and the first-seen latencies. */
export interface PluginBenchSummary {
  byConfiguration: Map<Configuration, ConfigurationSummary>;
  /** The no-plugin median of the probe, subtracted from every added latency, in ms. */
  baselineMs: number;
  firstSeen: Map<Configuration, AddedLatency>;
}

/** Median and range of `values`; NaNs when empty. */
export function spreadOf(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite) };
}

function throughputOf(r: RoundResult): number {
  return r.workflows / r.seconds;
}

function added(samples: readonly number[], baselineMs: number): AddedLatency {
  return { ...latencyOf(samples.map((s) => s - baselineMs)), attempts: samples.length };
}

function summed(results: readonly RoundResult[]): Record<string, number> | undefined {
  if (!results.some((r) => r.cost.counters)) return undefined;
  const total: Record<string, number> = {};
  for (const r of results)
    for (const [k, v] of Object.entries(r.cost.counters ?? {})) total[k] = (total[k] ?? 0) + v;
  return total;
}

/** Per configuration: medians and ranges across rounds, paired against each round's no-plugin run. */
export function summarise(run: PluginBenchRun): PluginBenchSummary {
  const withoutByRound = new Map(
    run.rounds.filter((r) => r.configuration === 'without').map((r) => [r.round, r]),
  );
  const baselineMs = median(
    run.rounds.filter((r) => r.configuration === 'without').flatMap((r) => r.cost.probeMs),
  );
  const byConfiguration = new Map<Configuration, ConfigurationSummary>();
  for (const configuration of CONFIGURATIONS) {
    const results = run.rounds.filter((r) => r.configuration === configuration);
    if (results.length === 0) continue;
    const paired = (value: (r: RoundResult) => number, combine: (mine: number, base: number) => number) =>
      spreadOf(
        results.map((r) => {
          const base = withoutByRound.get(r.round);
          return base ? combine(value(r), value(base)) : NaN;
        }),
      );
    const workflows = results.reduce((n, r) => n + r.workflows, 0);
    const spans = results.reduce((n, r) => n + (r.cost.spans ?? 0), 0);
    byConfiguration.set(configuration, {
      configuration,
      throughput: spreadOf(results.map(throughputOf)),
      ratio: paired(throughputOf, (mine, base) => mine / base),
      cpuPerWorkflowMs: spreadOf(results.map((r) => r.cost.cpuMs / r.workflows)),
      delayP50: spreadOf(results.map((r) => r.cost.eventLoopDelay.p50)),
      delayP99: spreadOf(results.map((r) => r.cost.eventLoopDelay.p99)),
      delayMax: spreadOf(results.map((r) => r.cost.eventLoopDelay.max)),
      delayP99OverWithout: paired(
        (r) => r.cost.eventLoopDelay.p99,
        (mine, base) => mine - base,
      ),
      memoryServerPerWorkflowMs: spreadOf(results.map((r) => (r.memoryServerMs ?? NaN) / r.workflows)),
      drainSeconds: spreadOf(results.map((r) => r.cost.drainMs / 1000)),
      spansPerWorkflow: results.some((r) => r.cost.spans !== undefined) ? spans / workflows : undefined,
      counters: summed(results),
      warm: added(
        results.flatMap((r) => r.cost.probeMs),
        baselineMs,
      ),
    });
  }
  const firstSeen = new Map<Configuration, AddedLatency>();
  for (const [configuration, samples] of run.firstSeen)
    firstSeen.set(configuration, added(samples, baselineMs));
  return { byConfiguration, baselineMs, firstSeen };
}

/**
 * Other processes' share of the machine while the rounds measured, weighted by each round's time: not
 * over the waits for quiet neighbours between them, when they were busy by definition.
 */
export function measuringShare(
  rounds: readonly { seconds: number; othersShare: number | undefined }[],
): number | undefined {
  const known = rounds.filter((r) => r.othersShare !== undefined);
  const seconds = known.reduce((sum, r) => sum + r.seconds, 0);
  return seconds > 0
    ? known.reduce((sum, r) => sum + (r.othersShare ?? 0) * r.seconds, 0) / seconds
    : undefined;
}
