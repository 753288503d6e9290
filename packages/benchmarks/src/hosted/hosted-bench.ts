/**
 * `corepack pnpm bench:hosted`: issue 10's run against hosted Stompy's limits. Per plan (free 60/min +
 * 20 per 10 s, pro 180 + 45, enterprise 300 + 75, side by side in one run, since the drain is bound
 * by the rate limit, not the CPU): our memory server's hosted emulation in this process, a worker
 * process with the StompyPlugin configured as that plan's user would, and N BenchWorkflows (4
 * outcomes each). It watches each worker's backlog until its outbox and digests have drained (at most
 * 10 min after its last workflow), then checks that nothing was lost or doubled (the outbox's own
 * record against the packs on the server) and that the insights recall reads from the digests equal
 * the exact ones. Prints the figures, records them in docs/benchmarks.md, and exits 1 when a target
 * is missed.
 *
 * Options (arguments or environment):
 *   --workflows 5000  --customers 200  --concurrency 20  --drain-limit 10  --plans free,pro,enterprise
 *   --quick                BENCH_QUICK=1     300 workflows per plan
 *   --no-record            BENCH_RECORD=0    print only; leave docs/benchmarks.md alone
 *   --wait-quiet 10        BENCH_WAIT_QUIET  first wait up to 10 minutes for a 1-minute load under 0.8
 */
import type { Client } from '@temporalio/client';
import { othersShare, processTree, sampleCpu } from '../shared/cpu-sample';
import { settleBeforeMeasuring } from '../shared/quiet-machine';
import { BUSY_LOAD } from '../shared/run-conditions';
import { printAndRecord, runScript } from '../shared/run-script';
import { checkLedger } from './delivery-ledger';
import { parseHostedBenchOptions, type HostedBenchOptions } from './hosted-bench-options';
import { startHostedFleet, type PlanLane } from './hosted-fleet';
import { runLane } from './hosted-lane';
import { hostedBenchReport } from './hosted-report';
import { checkTargets, type PlanResult } from './hosted-targets';
import { checkInsights } from './insights-check';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** How often each worker is asked for its backlog. */
const POLL_MS = 5_000;

async function runPlan(client: Client, lane: PlanLane, options: HostedBenchOptions): Promise<PlanResult> {
  const run = await runLane(
    client,
    lane,
    { ...options, drainLimitMs: options.drainLimitMinutes * 60_000, pollMs: POLL_MS },
    log,
  );
  const use = lane.server.meter.use(run.startedAtMs, run.endedAtMs);
  const { notes, ...ledger } = checkLedger(lane.outboxPath, lane.server.dbPath);
  log(
    `[${lane.plan}] checking the insights of the digests against the exact ones (${notes.length} notes)...`,
  );
  const insights = await checkInsights(notes, lane.server);
  const result = {
    plan: lane.plan,
    limits: lane.server.limits,
    workflows: options.workflows,
    run,
    use,
    ledger,
    insights,
  };
  for (const t of checkTargets(result, options.drainLimitMinutes)) {
    log(`[${lane.plan}] ${t.met ? 'met' : 'MISSED'}: ${t.target}: ${t.measured}`);
  }
  return result;
}

async function main(): Promise<void> {
  const options = parseHostedBenchOptions(process.argv.slice(2), process.env);
  const { wait, loadAtStart } = await settleBeforeMeasuring(options.waitQuietMinutes, BUSY_LOAD);
  const fleet = await startHostedFleet(options.plans, options.concurrency * 3, log);
  let text: string;
  let missed: number;
  try {
    const ours = processTree(process.pid);
    const cpuAtStart = sampleCpu(ours);
    log(`Running ${options.workflows} workflows per plan (${options.plans.join(', ')}), side by side...`);
    const results = await Promise.all(fleet.lanes.map((lane) => runPlan(fleet.env.client, lane, options)));
    const conditions = {
      quick: options.quick,
      loadAtStart,
      othersShare: othersShare(cpuAtStart, sampleCpu(ours)),
      wait,
    };
    text = hostedBenchReport(results, options, conditions);
    missed = results.flatMap((r) => checkTargets(r, options.drainLimitMinutes)).filter((t) => !t.met).length;
  } finally {
    await fleet.stop();
  }
  printAndRecord('bench-hosted', text, options.record);
  if (missed > 0) {
    log(`\n${missed} target${missed === 1 ? '' : 's'} missed.`);
    process.exitCode = 1;
  }
}

runScript(main);
