import type { InjectedSinks } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Outcome, WorkflowRunReport } from '../common/outcome';
import type { StompySinks } from '../workflow/sinks';
import type { OutcomeSinkTarget } from '../recording/outcome-recorder';
import type { PluginCounters } from '../support/plugin-counters';

/**
 * The worker side of the sandbox's outcome sink. Not called during replay, so replaying a history
 * records nothing. Returns at once: the worker awaits sinks before it completes the workflow task,
 * and recording only writes to the local outbox.
 */
export function createOutcomeSinks(
  recorder: OutcomeSinkTarget,
  workerVersion: string | undefined,
  logger: Logger,
  counters: PluginCounters,
): InjectedSinks<StompySinks> {
  return {
    stompyOutcomes: {
      workflowEnded: {
        callDuringReplay: false,
        fn: (_info, report: WorkflowRunReport) => {
          try {
            recorder.record(workflowOutcome(report, workerVersion));
          } catch (error) {
            counters.add('internalErrors');
            logger.error(
              { err: error, workflowId: report.workflowId },
              'stompy: could not record a workflow outcome',
            );
          }
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
