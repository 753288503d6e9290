import type { InjectedSinks } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Outcome, WorkflowRunReport } from '../common/outcome';
import type { StompySinks } from '../workflow/sinks';
import type { OutcomeSinkTarget } from '../recording/outcome-recorder';
import type { PluginCounters } from '../support/plugin-counters';

/** How the outcome sink records. */
export interface OutcomeSinkOptions {
  readonly recorder: OutcomeSinkTarget;
  readonly workerVersion: string | undefined;
  readonly logger: Logger;
  readonly counters: Pick<PluginCounters, 'add'>;
}

/**
 * The worker side of the sandbox's outcome sink. Not called during replay, so replaying a history
 * records nothing. The worker awaits sinks before it completes the workflow task, so the task that
 * ends a run completes once the run's outcome is in the outbox file (at most the recall budget later):
 * a run Temporal saw end is never lost to a crash of the worker. It never waits on the network.
 */
export function createOutcomeSinks(options: OutcomeSinkOptions): InjectedSinks<StompySinks> {
  const { recorder, workerVersion, logger, counters } = options;
  return {
    stompyOutcomes: {
      workflowEnded: {
        callDuringReplay: false,
        fn: async (_info, report: WorkflowRunReport) => {
          let recording: Promise<void>;
          try {
            recording = recorder.record(workflowOutcome(report, workerVersion));
          } catch (error) {
            counters.add('internalErrors');
            logger.error(
              { err: error, workflowId: report.workflowId },
              'could not record a workflow outcome',
            );
            return;
          }
          await recording;
        },
      },
    },
  };
}

function workflowOutcome(report: WorkflowRunReport, workerVersion: string | undefined): Outcome {
  const outcome: Outcome = {
    kind: 'workflow',
    execution: {
      namespace: report.namespace,
      taskQueue: report.taskQueue,
      workflowId: report.workflowId,
      runId: report.runId,
      workflowType: report.workflowType,
    },
    status: report.status,
    startedAtMs: report.startedAtMs,
    endedAtMs: report.endedAtMs,
    keys: report.keys,
  };
  if (report.error) outcome.error = report.error;
  if (report.parent) outcome.parent = report.parent;
  if (workerVersion) outcome.workerVersion = workerVersion;
  return outcome;
}
