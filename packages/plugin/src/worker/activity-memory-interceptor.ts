import { CancelledFailure, CompleteAsyncError, type Context as ActivityContext } from '@temporalio/activity';
import type { Next } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor } from '@temporalio/worker';
import type { Logger } from 'pino';
import { describeError } from '../common/describe-error';
import { CONTEXT_HEADER, KEYS_HEADER } from '../common/headers';
import { decodeKeys } from '../common/keys-header';
import type { Outcome, OutcomeError, OutcomeStatus } from '../common/outcome';
import type { RecalledContext } from '../recall/recalled-context';
import type { ActivityKeyExtractor, ActivityKeys } from '../keys/activity-keys';
import { encodeRecalledContext } from '../recall/context-header';
import type { MemoryRecall } from '../recall/memory-recall';
import type { OutcomeSinkTarget } from '../recording/outcome-recorder';
import type { PluginCounters } from '../support/plugin-counters';
import { captureValue, type RawCaptureSettings } from '../outcome/raw-capture';
import { recallKeysFor } from '../keys/memory-keys';
import { runWithRecalledContext } from '../recall/recall-scope';

/** How an attempt ended; whatever was thrown (even `undefined`), an attempt that did not complete has an issue. */
type AttemptEnding =
  { status: 'completed'; error?: undefined } | { status: OutcomeStatus; error: OutcomeError };

const COMPLETED: AttemptEnding = { status: 'completed' };

/** The failures the SDK reports instead of a cancellation when an activity is reset or paused. */
const SDK_FAILURES = {
  reset: { type: 'ActivityReset', message: 'Activity reset', nonRetryable: false },
  paused: { type: 'ActivityPause', message: 'Activity paused', nonRetryable: false },
} as const satisfies Record<string, OutcomeError>;

/** What the activity interceptor needs from the plugin; shared by every attempt on the worker. */
export interface ActivityMemoryDeps {
  keyExtractor: ActivityKeyExtractor;
  recall: Pick<MemoryRecall, 'recall'> | undefined;
  recorder: OutcomeSinkTarget;
  capture: RawCaptureSettings;
  logger: Logger;
  counters: PluginCounters;
}

/**
 * Gives each activity attempt its memory and records how it ended. Before the attempt: its keys from
 * the tag rules and the workflow's header, then a recall within the budget, put in the
 * `stompy-context` header and in `recalledContext()`. After it: an outcome for the recorder, which
 * never waits on the network. Fail-open: a plugin error is logged and counted, and the activity runs
 * (and its result or error passes through) exactly as without the plugin.
 */
export class ActivityMemoryInterceptor implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: ActivityContext,
    private readonly deps: ActivityMemoryDeps,
    /** The build id or deployment version of the worker running the attempt. */
    private readonly workerVersion: string | undefined,
  ) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const keys = this.keysOf(input);
    const recalled = keys?.recall ? await this.recallFor(keys) : undefined;
    const headers = recalled ? this.withContextHeader(input, recalled) : input.headers;
    // The attempt's own time starts now: the recall before it is the plugin's, not the activity's.
    const startedAtMs = Date.now();
    try {
      const result = await runWithRecalledContext(recalled, () => next({ ...input, headers }));
      this.record(keys, startedAtMs, () => COMPLETED, { args: input.args, result });
      return result;
    } catch (error) {
      // Async completion: the attempt has not ended yet; the plugin does not see how it ends.
      this.record(
        keys,
        startedAtMs,
        () => (error instanceof CompleteAsyncError ? undefined : this.endingOf(error)),
        {
          args: input.args,
        },
      );
      throw error;
    }
  }

  private keysOf(input: ActivityExecuteInput): ActivityKeys | undefined {
    try {
      return this.deps.keyExtractor.keysFor(
        this.ctx.info,
        input.args,
        decodeKeys(input.headers[KEYS_HEADER]),
      );
    } catch (error) {
      this.internalError(error, 'extracting activity keys');
      return undefined;
    }
  }

  private async recallFor(keys: ActivityKeys): Promise<RecalledContext | undefined> {
    if (!this.deps.recall) return undefined;
    try {
      return await this.deps.recall.recall(recallKeysFor(keys.keys, this.ctx.info.activityType));
    } catch (error) {
      this.internalError(error, 'recalling memory');
      return undefined;
    }
  }

  private withContextHeader(
    input: ActivityExecuteInput,
    recalled: RecalledContext,
  ): ActivityExecuteInput['headers'] {
    try {
      return { ...input.headers, [CONTEXT_HEADER]: encodeRecalledContext(recalled) };
    } catch (error) {
      this.internalError(error, 'encoding the stompy-context header');
      return input.headers;
    }
  }

  /**
   * How the attempt ended, as the worker reports it to Temporal. A cancellation the worker made
   * because the attempt overran a timeout it tracks itself (local activities) is a time-out; one
   * caused by pausing or resetting the activity is reported as the failure the SDK sends instead.
   */
  private endingOf(error: unknown): AttemptEnding {
    if (!(error instanceof CancelledFailure)) return { status: 'failed', error: describeError(error) };
    const details = this.ctx.cancellationDetails;
    if (details?.reset) return { status: 'failed', error: SDK_FAILURES.reset };
    if (details?.paused) return { status: 'failed', error: SDK_FAILURES.paused };
    // The cancellation details carry the flag when the server sent them.
    const timedOut = details?.timedOut === true || error.message === 'TIMED_OUT';
    return { status: timedOut ? 'timed_out' : 'cancelled', error: describeError(error) };
  }

  private record(
    keys: ActivityKeys | undefined,
    startedAtMs: number,
    endingOf: () => AttemptEnding | undefined,
    raw: { args: unknown[]; result?: unknown },
  ): void {
    try {
      // Inside the guard: describing what was thrown runs getters and `instanceof` on user values.
      const ending = endingOf();
      if (!ending) return;
      const { status, error } = ending;
      const { info } = this.ctx;
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
        status,
        startedAtMs,
        endedAtMs: Date.now(),
        keys: keys?.keys ?? { tags: [], entities: {} },
      };
      if (error) outcome.error = error;
      if (this.workerVersion) outcome.workerVersion = this.workerVersion;
      const { capture } = this.deps;
      if (capture.args || capture.result) {
        outcome.captured = {};
        if (capture.args) outcome.captured.args = captureValue(raw.args, capture);
        if (capture.result && 'result' in raw) outcome.captured.result = captureValue(raw.result, capture);
      }
      this.deps.recorder.record(outcome);
    } catch (recordError) {
      this.internalError(recordError, 'recording the activity outcome');
    }
  }

  private internalError(error: unknown, doing: string): void {
    this.deps.counters.add('internalErrors');
    this.deps.logger.error(
      { err: error, activityType: this.ctx.info.activityType },
      `stompy: internal error while ${doing}; the activity is not affected`,
    );
  }
}
