import { describeCommit } from '../shared/commit';
import { describeMachine } from '../shared/machine';
import { BUSY_LOAD, describeConditions, othersWereBusy, type RunConditions } from '../shared/run-conditions';
import type { HostedBenchOptions } from './hosted-bench-options';
import { checkTargets, doubledOf, lostOf, OUTCOMES_PER_WORKFLOW, type PlanResult } from './hosted-targets';

const s = (ms: number) => (ms / 1000).toFixed(0);

function setUp(options: HostedBenchOptions, results: readonly PlanResult[]): string {
  return (
    `Real Temporal workflows through a real worker with the plugin, against our memory server's emulation of hosted ` +
    `Stompy over HTTP (\`profile: 'hosted'\`: Stompy's tools only, no batch write, the novelty gate, the plan's ` +
    `per-minute and 10-second caps per token, answered with HTTP 429). The plans (${results.map((r) => r.plan).join(', ')}) ` +
    `run side by side in one run: one Temporal dev server, one emulation per plan in the benchmark's process, one ` +
    `worker process per plan on its own task queue, its StompyPlugin configured as a user of that plan configures it ` +
    `(\`memory: { url, token, maxCallsPerMinute, burst }\` at the plan's caps, the outbox on disk, a customer tag rule, ` +
    `recall on). Per plan ${options.workflows} BenchWorkflows (3 activities each: ${OUTCOMES_PER_WORKFLOW} outcomes), ` +
    `${options.concurrency} at a time, over ${options.customers} customers. The worker's plugin packs outcomes and ` +
    `keeps per-key digests; the run watches its \`backlog()\` every 5 s until nothing is pending and no digest is ` +
    `dirty (**drain**: from the last workflow's end to that look, so up to 5 s late), for at most ` +
    `${options.drainLimitMinutes} min. **Requests** are every request the plan's server answered (counted by ` +
    `\`onResponse\`), from the first workflow to the end of the drain: per minute on average, in the busiest minute ` +
    `of the server's epoch-aligned windows (429s left out), against the plan's cap; and in the busiest 10 s ` +
    `(429s included) against the burst cap. **Lost / doubled**: the ` +
    "plugin's counters, and the outbox's own record (`outbox_delivered`) held against the packs in the server's " +
    'SQLite file: every delivered topic in exactly one pack entry, no pack entry unrecorded, every pack topic one ' +
    'version. **Insights equal**: per key (activity, workflow and customer keys), the insights recall reads from ' +
    "the digests (the plugin's `DigestReader` over HTTP, after the drain) against the exact ones counted from " +
    "the packs' notes (`outcomeFactsFromNote`, `countOutcomes` + `keyInsights`, half-life 28 days), compared as JSON."
  );
}

function row(r: PlanResult): string {
  const c = r.run.last.counters;
  const { use, ledger, insights } = r;
  return (
    `| ${r.plan} (${r.limits.perMinute}/min, ${r.limits.burstPer10s} per 10 s) | ${r.workflows} | ${c.outcomesQueued} | ` +
    `${r.run.workflowSeconds.toFixed(0)} | ${r.run.drained ? '' : 'not drained after '}${s(r.run.drainMs)} | ` +
    `${use.perMinute.toFixed(1)} / ${use.busiestMinute} / ${r.limits.perMinute} | ` +
    `${use.busiest10s} / ${r.limits.burstPer10s} | ${use.rejected} | ` +
    `${ledger.packs} (${ledger.packVersions} versions) | ${ledger.digestWrites} | ` +
    `${c.recallsServed} / ${c.recallsRateLimited} | ${insights.equal}/${insights.total} | ${lostOf(r)} / ${doubledOf(r)} |`
  );
}

/** Pending outcomes and dirty digests at each minute after the plan's last workflow finished. */
function drainCurve(r: PlanResult): string {
  const after = r.run.samples.filter((x) => x.workflowsDone);
  const points: string[] = [];
  let nextMinute = 0;
  for (const x of after) {
    const minutes = (x.atMs - r.run.workflowsDoneAtMs) / 60_000;
    if (minutes < nextMinute && x !== after[after.length - 1]) continue;
    const b = x.status.backlog;
    points.push(
      b.known ? `+${minutes.toFixed(1)} min ${b.pending}/${b.digests.dirty}` : `+${minutes.toFixed(1)} min ?`,
    );
    nextMinute = Math.floor(minutes) + 1;
  }
  return `- ${r.plan}: ${points.join(', ')}`;
}

/** The `bench-hosted` section of docs/benchmarks.md, in Markdown. */
export function hostedBenchReport(
  results: readonly PlanResult[],
  options: HostedBenchOptions,
  conditions: RunConditions,
): string {
  const busy = (conditions.loadAtStart[0] ?? 0) >= BUSY_LOAD || othersWereBusy(conditions.othersShare);
  const targets = results.flatMap((r) => checkTargets(r, options.drainLimitMinutes));
  return [
    '## Hosted Stompy (`corepack pnpm bench:hosted`)',
    '',
    `${describeCommit()} Machine: ${describeMachine()}. ${describeConditions(conditions)}` +
      (busy
        ? ' **The machine was busy; the drain is rate-bound, so its figures hold, the workflow times less so.**'
        : ''),
    '',
    setUp(options, results),
    '',
    '| plan | workflows | outcomes | workflows ran s | drain after last workflow s | requests/min avg / busiest minute / cap | busiest 10 s / burst cap | 429s | packs | digest writes | recalls served / rate-limited | insights equal | lost / doubled |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(row),
    '',
    "### Issue 10's targets",
    '',
    ...targets.map((t) => `- ${t.plan}: ${t.target}: **${t.measured}, ${t.met ? 'met' : 'MISSED'}**`),
    '',
    '### Drain (pending outcomes / dirty digests, minutes after the last workflow finished)',
    '',
    ...results.map(drainCurve),
  ].join('\n');
}
