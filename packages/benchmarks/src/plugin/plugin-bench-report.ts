import { describeCommit } from '../shared/commit';
import { describeMachine } from '../shared/machine';
import {
  BUSY_LOAD,
  BUSY_OTHERS_SHARE,
  describeConditions,
  othersWereBusy,
  percent,
  type RunConditions,
} from '../shared/run-conditions';
import type { PluginBenchOptions } from './plugin-bench-options';
import type { ConfigurationSummary, PluginBenchSummary } from './plugin-bench-summary';
import { checkTargets, formatSpread, verdictText } from './plugin-bench-targets';
import type { PluginBenchRun, RoundResult } from './plugin-rounds';
import { DELAY_RESOLUTION_MS } from './worker-meter';
import { CONFIGURATION_LABELS, type Configuration } from './worker-protocol';

/** The label of a configuration in the tables. */
function label(c: Configuration): string {
  return CONFIGURATION_LABELS[c];
}

function quietGate(options: PluginBenchOptions, run: PluginBenchRun): string {
  if (options.quietGateSeconds === 0) return '';
  const waited = run.rounds.reduce((sum, r) => sum + r.quietWaitMs, 0) / 1000;
  const busy = run.rounds.filter((r) => othersWereBusy(r.othersShare)).length;
  return (
    ` Before each measured batch the run waited (${options.quietGateSeconds} s at most) until other processes used ` +
    `under ${percent(BUSY_OTHERS_SHARE)} of the machine over 3 s (${Math.round(waited)} s in all); ` +
    `${busy} of ${run.rounds.length} measured batches still had busy neighbours (marked in the rounds table).`
  );
}

function setUp(options: PluginBenchOptions, summary: PluginBenchSummary, run: PluginBenchRun): string {
  const spans = summary.byConfiguration.get('otel')?.spansPerWorkflow;
  return (
    'Set-up: one Temporal dev server (in memory); each configuration has its own worker process, as in ' +
    `production, started once, warmed up with ${options.warmUpWorkflows} workflows and kept for the whole run; ` +
    'the HTTP memory server (`stompy-memory serve`) runs in its own process; the client runs in the ' +
    `benchmark's process. ${options.rounds} round${options.rounds === 1 ? '' : 's'}; in each, every configuration runs ${options.workflows} workflows ` +
    `(3 activities each, ${options.concurrency} at a time, 20 customers seen again and again), the order of the ` +
    "configurations rotating from round to round. **Worker CPU** is the worker process's CPU time (user + system, " +
    "every thread: the JS thread, the workflow thread, the SDK's core threads) from the round's start until the " +
    'plugin has delivered what the round recorded, divided by the workflows. **Event-loop delay**: ' +
    `\`monitorEventLoopDelay\` in the worker over the same stretch, beyond its timer's ${DELAY_RESOLUTION_MS} ms interval ` +
    '(the histogram records the interval too: an idle loop reads 10 ms). **Paired ratio**: a ' +
    "round's throughput over the same round's no-plugin throughput. OpenTelemetryPlugin is wired as `NodeSDK` " +
    'wires it (global tracer provider, AsyncLocalStorage context manager, batch span processor), with an ' +
    `in-memory exporter${spans === undefined ? '' : ` (${spans.toFixed(1)} spans per workflow)`}.` +
    quietGate(options, run)
  );
}

function summaryRow(s: ConfigurationSummary): string {
  const server = s.configuration === 'http' ? formatSpread(s.memoryServerPerWorkflowMs, 1) : '';
  return (
    `| ${label(s.configuration)} | ${formatSpread(s.throughput, 1)} | ` +
    `${s.configuration === 'without' ? '1' : formatSpread(s.ratio, 3)} | ${formatSpread(s.cpuPerWorkflowMs, 1)} | ` +
    `${s.delayP50.median.toFixed(1)} / ${formatSpread(s.delayP99, 1)} / ${s.delayMax.median.toFixed(1)} | ${server} |`
  );
}

function roundRow(r: RoundResult, withoutThroughput: number | undefined): string {
  const throughput = r.workflows / r.seconds;
  const d = r.cost.eventLoopDelay;
  return (
    `| ${r.round} | ${label(r.configuration)} | ${throughput.toFixed(1)} | ` +
    `${withoutThroughput ? (throughput / withoutThroughput).toFixed(3) : '?'} | ${(r.cost.cpuMs / r.workflows).toFixed(1)} | ` +
    `${d.p50.toFixed(1)} / ${d.p99.toFixed(1)} / ${d.max.toFixed(1)} | ${(r.cost.drainMs / 1000).toFixed(1)} | ` +
    `${Math.round(r.quietWaitMs / 1000)} | ${percent(r.othersShare)}${othersWereBusy(r.othersShare) ? ' (busy)' : ''} | ` +
    `${r.loadAfter.toFixed(2)} |`
  );
}

function latencyRows(summary: PluginBenchSummary): string[] {
  const row = (c: Configuration, key: string, l: { p50: number; p99: number; attempts: number }) =>
    `| ${label(c)} | ${key} | ${l.p50.toFixed(2)} | ${l.p99.toFixed(2)} | ${l.attempts} |`;
  const rows: string[] = [];
  for (const s of summary.byConfiguration.values()) {
    if (s.configuration !== 'without') rows.push(row(s.configuration, 'warm (seen before)', s.warm));
    const first = summary.firstSeen.get(s.configuration);
    if (first) rows.push(row(s.configuration, "first-seen (the workflow's first activity)", first));
  }
  return rows;
}

function countersLine(summary: PluginBenchSummary): string {
  const parts = [...summary.byConfiguration.values()]
    .filter((s) => s.counters)
    .map((s) => {
      const c = s.counters ?? {};
      const shown = [
        'outcomesQueued',
        'outcomesDelivered',
        'outcomesDropped',
        'recallsServed',
        'recallsOverBudget',
        'recallsFailed',
      ]
        .map((k) => `${k} ${c[k] ?? 0}`)
        .join(', ');
      return `${label(s.configuration)}: ${shown}`;
    });
  return parts.length ? `The plugin's counters over the measured rounds: ${parts.join('; ')}.` : '';
}

/** The `bench:plugin` section of docs/benchmarks.md, in Markdown. */
export function pluginBenchReport(
  run: PluginBenchRun,
  summary: PluginBenchSummary,
  options: PluginBenchOptions,
  conditions: RunConditions,
): string {
  const withoutByRound = new Map(
    run.rounds.filter((r) => r.configuration === 'without').map((r) => [r.round, r.workflows / r.seconds]),
  );
  const busy = (conditions.loadAtStart[0] ?? 0) >= BUSY_LOAD || othersWereBusy(conditions.othersShare);
  return [
    '## Plugin (`corepack pnpm bench:plugin`)',
    '',
    `${describeCommit()} Machine: ${describeMachine()}. ${describeConditions(conditions)}` +
      (busy ? ' **The machine was too busy to trust these figures fully.**' : ''),
    '',
    setUp(options, summary, run),
    '',
    '### Per configuration (median [min–max] across rounds)',
    '',
    '| configuration | workflows/s | paired ratio to no plugin | worker CPU ms per workflow | event-loop delay p50 / p99 / max ms | memory server CPU ms per workflow |',
    '|---|---:|---:|---:|---:|---:|',
    ...[...summary.byConfiguration.values()].map(summaryRow),
    '',
    "### Issue 7's targets",
    '',
    ...checkTargets(summary).map((t) => `- ${t.target}: **${t.measured}, ${verdictText(t.met)}**`),
    '',
    `### Added latency in front of an activity (beyond no plugin's ${summary.baselineMs.toFixed(2)} ms median)`,
    '',
    'Measured by an interceptor outside the plugins, from the attempt reaching the worker to its function running: recall, keys, header, spans.',
    '',
    '| configuration | key | p50 ms | p99 ms | attempts |',
    '|---|---|---:|---:|---:|',
    ...latencyRows(summary),
    '',
    countersLine(summary),
    '',
    '### Rounds',
    '',
    "| round | configuration | workflows/s | ratio | worker CPU ms per workflow | event-loop delay p50 / p99 / max ms | delivery wait s | waited for quiet s | other processes' CPU | 1-minute load after |",
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...run.rounds.map((r) => roundRow(r, withoutByRound.get(r.round))),
  ]
    .filter((line, i, lines) => !(line === '' && lines[i - 1] === ''))
    .join('\n');
}
