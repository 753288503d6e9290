import type { ConfigurationSummary, PluginBenchSummary, Spread } from './plugin-bench-summary';
import type { Configuration } from './worker-protocol';

/** Issue 7's targets for the plugin's hot path. */
export const TARGETS = {
  /** Median paired throughput ratio to no plugin, embedded memory. */
  embeddedRatio: 0.97,
  /** Median paired throughput ratio to no plugin, memory over HTTP. */
  httpRatio: 0.95,
  /** Event-loop delay p99 over no plugin's, ms (median of paired rounds). */
  delayP99OverWithoutMs: 5,
  /** Added latency p99 for a first-seen key over HTTP, ms. */
  firstSeenHttpP99Ms: 20,
} as const;

/** One target, as measured: what it asks, the figure, and whether it was met (undefined: not measured). */
export interface TargetResult {
  target: string;
  measured: string;
  met: boolean | undefined;
}

/** A spread as `median [min–max]`. */
export function formatSpread(spread: Spread, digits: number): string {
  if (Number.isNaN(spread.median)) return '?';
  return `${spread.median.toFixed(digits)} [${spread.min.toFixed(digits)}–${spread.max.toFixed(digits)}]`;
}

function verdict(value: number, ok: boolean): boolean | undefined {
  return Number.isNaN(value) ? undefined : ok;
}

/** Each of issue 7's targets for the StompyPlugin configurations, met or missed. */
export function checkTargets(summary: PluginBenchSummary): TargetResult[] {
  const of = (c: Configuration): ConfigurationSummary | undefined => summary.byConfiguration.get(c);
  const results: TargetResult[] = [];
  const ratio = (c: Configuration, wanted: number, label: string) => {
    const r = of(c)?.ratio;
    if (!r) return;
    results.push({
      target: `throughput, ${label}: paired ratio to no plugin >= ${wanted}`,
      measured: formatSpread(r, 3),
      met: verdict(r.median, r.median >= wanted),
    });
  };
  ratio('embedded', TARGETS.embeddedRatio, 'embedded memory');
  ratio('http', TARGETS.httpRatio, 'memory over HTTP');
  const otelCpu = of('otel')?.cpuPerWorkflowMs.median ?? NaN;
  for (const c of ['embedded', 'http'] as const) {
    const mine = of(c);
    if (!mine) continue;
    const cpu = mine.cpuPerWorkflowMs.median;
    results.push({
      target: `worker CPU per workflow, ${c}: below OpenTelemetryPlugin's (${otelCpu.toFixed(1)} ms)`,
      measured: `${cpu.toFixed(1)} ms`,
      met: verdict(cpu + otelCpu, cpu < otelCpu),
    });
  }
  for (const c of ['embedded', 'http'] as const) {
    const over = of(c)?.delayP99OverWithout;
    if (!over) continue;
    results.push({
      target: `event-loop delay p99, ${c}: within ${TARGETS.delayP99OverWithoutMs} ms of no plugin (paired rounds)`,
      measured: `${formatSpread(over, 1)} ms over`,
      met: verdict(over.median, over.median <= TARGETS.delayP99OverWithoutMs),
    });
  }
  const firstSeen = summary.firstSeen.get('http');
  if (firstSeen) {
    results.push({
      target: `first-seen key over HTTP: added latency p99 <= ${TARGETS.firstSeenHttpP99Ms} ms`,
      measured: `${firstSeen.p99.toFixed(1)} ms (p50 ${firstSeen.p50.toFixed(1)} ms, ${firstSeen.attempts} attempts)`,
      met: verdict(firstSeen.p99, firstSeen.p99 <= TARGETS.firstSeenHttpP99Ms),
    });
  }
  return results;
}

/** `met`, `missed` or `not measured`. */
export function verdictText(met: boolean | undefined): string {
  return met === undefined ? 'not measured' : met ? 'met' : 'missed';
}
