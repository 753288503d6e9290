import { CancelledFailure, type Context as ActivityContext } from '@temporalio/activity';
import { describeError } from '../common/describe-error';
import type { ExecutionKeys } from '../common/execution-keys';
import type { Outcome, OutcomeError, OutcomeStatus } from '../common/outcome';
import { countedTimeZone } from '../outcome/outcome-facts';
import { captureValue, type RawCaptureSettings } from '../outcome/raw-capture';

/** How an attempt ended; whatever was thrown (even `undefined`), an attempt that did not complete has an issue. */
export type AttemptEnding =
  { status: 'completed'; error?: undefined } | { status: OutcomeStatus; error: OutcomeError };

/** The ending of an attempt that returned. */
export const COMPLETED: AttemptEnding = { status: 'completed' };

/** The failures the SDK reports instead of a cancellation when an activity is reset or paused. */
const SDK_FAILURES = {
  reset: { type: 'ActivityReset', message: 'Activity reset', nonRetryable: false },
  paused: { type: 'ActivityPause', message: 'Activity paused', nonRetryable: false },
} as const satisfies Record<string, OutcomeError>;

/**
 * How an attempt that threw ended, as the worker reports it to Temporal. A cancellation the worker
 * made because the attempt overran a timeout it tracks itself (local activities) is a time-out; one
 * caused by pausing or resetting the activity is reported as the failure the SDK sends instead.
 */
export function endingOf(ctx: ActivityContext, error: unknown): AttemptEnding {
  if (!(error instanceof CancelledFailure)) return { status: 'failed', error: describeError(error) };
  const details = ctx.cancellationDetails;
  if (details?.reset) return { status: 'failed', error: SDK_FAILURES.reset };
  if (details?.paused) return { status: 'failed', error: SDK_FAILURES.paused };
  // The cancellation details carry the flag when the server sent them.
  const timedOut = details?.timedOut === true || error.message === 'TIMED_OUT';
  return { status: timedOut ? 'timed_out' : 'cancelled', error: describeError(error) };
}

/** What is recorded of one attempt besides how it ended. */
export interface AttemptFacts {
  readonly keys: ExecutionKeys | undefined;
  readonly startedAtMs: number;
  readonly workerVersion: string | undefined;
  readonly capture: RawCaptureSettings;
  readonly raw: { readonly args: unknown[]; readonly result?: unknown };
  /** The handling the attempt chose with `recordHandling`, if any. */
  readonly handling: string | undefined;
}

/** The outcome of one activity attempt, from its info, its ending and its facts. */
export function attemptOutcome(
  info: ActivityContext['info'],
  ending: AttemptEnding,
  facts: AttemptFacts,
): Outcome {
  const outcome: Outcome = {
    kind: 'activity',
    execution: {
      namespace: info.workflowNamespace ?? info.activityNamespace,
      taskQueue: info.taskQueue,
      workflowId: info.workflowExecution?.workflowId ?? '(standalone)',
      runId: info.workflowExecution?.runId ?? info.activityRunId ?? '(standalone)',
      workflowType: info.workflowType ?? '(standalone)',
    },
    activity: {
      activityId: info.activityId,
      activityType: info.activityType,
      attempt: info.attempt,
      local: info.isLocal,
    },
    status: ending.status,
    startedAtMs: facts.startedAtMs,
    endedAtMs: Date.now(),
    keys: facts.keys ?? { tags: [], entities: {} },
  };
  if (ending.error) outcome.error = ending.error;
  if (facts.workerVersion) outcome.workerVersion = facts.workerVersion;
  const timeZone = countedTimeZone(outcome.keys.timeZone);
  if (timeZone !== undefined) outcome.timeZone = timeZone;
  if (facts.handling !== undefined) outcome.handling = facts.handling;
  const { capture, raw } = facts;
  if (capture.args || capture.result) {
    outcome.captured = {};
    if (capture.args) outcome.captured.args = captureValue(raw.args, capture);
    if (capture.result && 'result' in raw) outcome.captured.result = captureValue(raw.result, capture);
  }
  return outcome;
}

/**
 * The fields Temporal's own activity log lines carry (`workflowId`, `workflowRunId`, `activityId`,
 * `attempt`, ...), so the plugin's lines about an attempt join the worker's.
 */
export function attemptLogFields(info: ActivityContext['info']): Record<string, unknown> {
  return {
    workflowId: info.workflowExecution?.workflowId,
    workflowRunId: info.workflowExecution?.runId,
    workflowType: info.workflowType,
    activityId: info.activityId,
    activityType: info.activityType,
    attempt: info.attempt,
    isLocal: info.isLocal,
    taskQueue: info.taskQueue,
  };
}
