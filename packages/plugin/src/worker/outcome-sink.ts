import type { InjectedSinks } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Outcome, WorkflowRunReport } from '../common/outcome';
import type { StompySinks } from '../workflow/sinks';
import type { OutcomeSinkTarget } from '../recording/outcome-recorder';
import type { PluginCounters } from '../support/plugin-counters';
import { countedTimeZone } from '../outcome/outcome-facts';
import { ThrottledLog } from '../support/throttled-log';
import type { RejectedEventTime } from '../common/workflow-rules';

/** Shortest interval between two lines about one workflow rule's unusable event times. */
const EVENT_TIME_LOG_INTERVAL_MS = 60_000;
/** Most rules whose unusable event times are throttled apart (rules are few; this only bounds the map). */
const MAX_THROTTLED_RULES = 256;

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
  const rejectedEventTimes = rejectedEventTimeLog(logger, counters);
  return {
    stompyOutcomes: {
      workflowEnded: {
        callDuringReplay: false,
        fn: async (_info, report: WorkflowRunReport) => {
          let recording: Promise<void>;
          try {
            if (report.rejectedEventTime) rejectedEventTimes(report.workflowType, report.rejectedEventTime);
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
  const timeZone = countedTimeZone(report.keys.timeZone);
  if (timeZone !== undefined) outcome.timeZone = timeZone;
  return outcome;
}

/**
 * Logs a workflow rule's event time that is no time (the sandbox left it out: the run counts at its
 * start), at most once a minute per rule, and counts each as a rule error.
 */
function rejectedEventTimeLog(
  logger: Logger,
  counters: Pick<PluginCounters, 'add'>,
): (workflowType: string, rejected: RejectedEventTime) => void {
  const perRule = new Map<string, ThrottledLog>();
  return (workflowType, { rule, value }) => {
    counters.add('ruleErrors');
    let log = perRule.get(rule);
    if (!log) {
      if (perRule.size >= MAX_THROTTLED_RULES) perRule.clear();
      log = new ThrottledLog(logger, { intervalMs: EVENT_TIME_LOG_INTERVAL_MS });
      perRule.set(rule, log);
    }
    log.log(
      { workflowType, rule, value },
      "a workflow tag rule's eventTime is not a usable time; the run counts at its start",
    );
  };
}
