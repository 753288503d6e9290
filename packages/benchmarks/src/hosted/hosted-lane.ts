import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { PluginStatus } from '../plugin/worker-protocol';
import { runWorkflows } from '../plugin/workflow-load';
import type { PlanLane } from './hosted-fleet';

/** One look at a plan's worker while it runs and drains. */
export interface DrainSample {
  /** Epoch ms of the look. */
  atMs: number;
  /** Whether the plan's workflows had all finished by then. */
  workflowsDone: boolean;
  status: PluginStatus;
  /** Requests the plan's server answered in the minute before, and 429s among them. */
  lastMinute: { requests: number; rejected: number };
}

/** How a plan's run went, as the worker and its server saw it. */
export interface LaneRun {
  /** Epoch ms when the first workflow started, when the last finished, and when the run ended (drained or out of time). */
  startedAtMs: number;
  workflowsDoneAtMs: number;
  endedAtMs: number;
  /** Seconds the workflows took. */
  workflowSeconds: number;
  /** Whether the outbox and the digests drained (`pending` 0 and `digests.dirty` 0) within the limit. */
  drained: boolean;
  /** Ms from the last workflow finishing to the first look that saw everything delivered (or to the limit). */
  drainMs: number;
  samples: DrainSample[];
  /** The last look. */
  last: PluginStatus;
}

/** How a lane runs: its workflows, and how it is watched. */
export interface LaneOptions {
  workflows: number;
  customers: number;
  concurrency: number;
  /** How long the outbox has to drain after the last workflow finished, in ms. */
  drainLimitMs: number;
  /** How often the worker is asked for its plugin's status, in ms. */
  pollMs: number;
}

function drained(status: PluginStatus): boolean {
  const b = status.backlog;
  return b.known && b.pending === 0 && b.digests.dirty === 0;
}

function progressLine(lane: PlanLane, sample: DrainSample, doneAtMs: number | undefined): string {
  const b = sample.status.backlog;
  const c = sample.status.counters;
  const when =
    doneAtMs === undefined
      ? `running (${c.outcomesQueued} outcomes queued)`
      : `+${((sample.atMs - doneAtMs) / 1000).toFixed(0)} s after the last workflow`;
  if (!b.known) return `[${lane.plan}] ${when}: backlog unknown (${b.reason})`;
  const drain =
    b.estimatedDrainMs === undefined ? 'not draining' : `${(b.estimatedDrainMs / 1000).toFixed(0)} s`;
  const oldest =
    b.digests.oldestDirtyAgeMs === undefined
      ? ''
      : `, oldest ${(b.digests.oldestDirtyAgeMs / 1000).toFixed(0)} s`;
  return (
    `[${lane.plan}] ${when}: pending ${b.pending}, delivered ${c.outcomesDelivered} (${b.deliveredPerMinute.toFixed(0)}/min), ` +
    `drain est. ${drain}, digests dirty ${b.digests.dirty}/${b.digests.keys}${oldest}, ` +
    `requests last min ${sample.lastMinute.requests} (429s ${sample.lastMinute.rejected}, in all ${lane.server.meter.rejectedSoFar}), ` +
    `recalls served ${c.recallsServed} / rate-limited ${c.recallsRateLimited}`
  );
}

/**
 * Runs a plan's workflows (`C0`..`C<customers-1>`, `concurrency` at a time) and watches its worker every
 * `pollMs` (the plugin's backlog and counters, the server's requests), printing a progress line each
 * time, until the workflows have finished and the outbox and digests have drained, or `drainLimitMs`
 * after the last workflow finished.
 */
export async function runLane(
  client: Client,
  lane: PlanLane,
  options: LaneOptions,
  log: (line: string) => void,
): Promise<LaneRun> {
  const startedAtMs = Date.now();
  let finished: { atMs: number; seconds: number } | { error: unknown } | undefined;
  const running = runWorkflows(client, {
    taskQueue: lane.taskQueue,
    idPrefix: `hosted-${lane.plan}`,
    count: options.workflows,
    concurrency: options.concurrency,
    customerOf: (i) => `C${i % options.customers}`,
  }).then(
    (seconds) => {
      finished = { atMs: Date.now(), seconds };
      log(`[${lane.plan}] ${options.workflows} workflows finished in ${seconds.toFixed(1)} s`);
    },
    (error: unknown) => {
      finished = { error };
    },
  );
  const samples: DrainSample[] = [];
  try {
    for (;;) {
      await sleep(options.pollMs);
      const done = finished;
      if (done && 'error' in done) throw done.error;
      const status = await lane.worker.status();
      const sample = {
        atMs: Date.now(),
        workflowsDone: done !== undefined,
        status,
        lastMinute: lane.server.meter.lastMinute(),
      };
      samples.push(sample);
      log(progressLine(lane, sample, done?.atMs));
      if (done === undefined) continue;
      const out = sample.atMs - done.atMs >= options.drainLimitMs;
      if (drained(status) || out) {
        return {
          startedAtMs,
          workflowsDoneAtMs: done.atMs,
          endedAtMs: sample.atMs,
          workflowSeconds: done.seconds,
          drained: drained(status),
          drainMs: sample.atMs - done.atMs,
          samples,
          last: status,
        };
      }
    }
  } finally {
    await running; // never rejects; the workflows' own timeout bounds it
  }
}
