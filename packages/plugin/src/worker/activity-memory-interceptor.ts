import { CompleteAsyncError, type Context as ActivityContext } from '@temporalio/activity';
import type { Next } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor } from '@temporalio/worker';
import type { Logger } from 'pino';
import { eventTimeMsOf } from '../common/event-time';
import { CONTEXT_HEADER, KEYS_HEADER } from '../common/headers';
import { RECALL_INSIGHTS_ACTIVITY } from '../common/workflow-memory';
import { decodeKeys } from '../common/keys-header';
import type { RecalledContext } from '../recall/recalled-context';
import type { ActivityKeyExtractor, ActivityKeys } from '../keys/activity-keys';
import { encodeRecalledContext } from '../recall/context-header';
import type { MemoryRecall } from '../recall/memory-recall';
import type { OutcomeSinkTarget } from '../recording/outcome-recorder';
import type { PluginCounters } from '../support/plugin-counters';
import type { RawCaptureSettings } from '../outcome/raw-capture';
import {
  attemptLogFields,
  attemptOutcome,
  COMPLETED,
  endingOf,
  type AttemptEnding,
  type AttemptFacts,
} from './activity-attempt';
import { activityKey, recallKeysFor } from '../keys/memory-keys';
import { attemptScope, runInAttemptScope, type AttemptScope } from '../recall/attempt-scope';
import type { ThrottledLog } from '../support/throttled-log';

/** What the activity interceptor needs from the plugin; shared by every attempt on the worker. */
export interface ActivityMemoryDeps {
  keyExtractor: ActivityKeyExtractor;
  recall: Pick<MemoryRecall, 'recall'> | undefined;
  recorder: OutcomeSinkTarget;
  capture: RawCaptureSettings;
  logger: Logger;
  counters: PluginCounters;
  /** Where refused `recordHandling` labels are logged (throttled: an activity may refuse on every attempt). */
  refusedHandlingLog: ThrottledLog;
}

/**
 * Gives each activity attempt its memory and records how it ended. Before the attempt: its keys from
 * the tag rules and the workflow's header, then a recall within the budget, put in the
 * `stompy-context` header and in `recalledContext()`. The attempt runs in an {@link AttemptScope},
 * where `recordHandling()` labels its outcome. After it: an outcome for the recorder, which never waits
 * on the network, and the result waits for the outcome to be in the outbox. Fail-open: a plugin error
 * is logged and counted, and the activity runs (and its result or error passes through) exactly as
 * without the plugin.
 */
export class ActivityMemoryInterceptor implements ActivityInboundCallsInterceptor {
  private attemptLogger: Logger | undefined;

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
    // The plugin's own activity (answering `recallInsights()`) is not a user outcome to remember.
    if (this.ctx.info.activityType === RECALL_INSIGHTS_ACTIVITY) return next(input);
    const keys = this.keysOf(input);
    const recalled = keys?.recall ? await this.recallFor(keys) : undefined;
    const headers = recalled ? this.withContextHeader(input, recalled) : input.headers;
    // The attempt's own time starts now: the recall before it is the plugin's, not the activity's.
    const startedAtMs = Date.now();
    const attempt = attemptScope(recalled);
    let result: unknown;
    try {
      result = await runInAttemptScope(attempt, () => next({ ...input, headers }));
    } catch (error) {
      // Async completion: the attempt has not ended yet; the plugin does not see how it ends.
      const ending = () => (error instanceof CompleteAsyncError ? undefined : endingOf(this.ctx, error));
      await this.record(ending, attempt, { keys: keys?.keys, startedAtMs, raw: { args: input.args } });
      throw error;
    }
    await this.record(() => COMPLETED, attempt, {
      keys: keys?.keys,
      startedAtMs,
      raw: { args: input.args, result },
    });
    return result;
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
      const activityType = this.ctx.info.activityType;
      return await this.deps.recall.recall(recallKeysFor(keys.keys, activityType), {
        activityType,
        typeKey: activityKey(activityType),
        version: this.workerVersion,
        eventTimeMs: eventTimeMsOf(keys.keys.eventTime) ?? Date.now(),
      });
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
   * Records the attempt's outcome, and waits until it is in the outbox file (at most the recall
   * budget): the result reaches Temporal only after its outcome is durable, so an attempt Temporal
   * saw end is never lost to a crash of the worker.
   */
  private async record(
    ending: () => AttemptEnding | undefined,
    attempt: AttemptScope,
    facts: Omit<AttemptFacts, 'capture' | 'workerVersion' | 'handling'>,
  ): Promise<void> {
    let recording: Promise<void>;
    try {
      if (attempt.refusedHandling !== undefined) this.refusedHandling(attempt.refusedHandling);
      // Inside the guard: describing what was thrown runs getters and `instanceof` on user values.
      const ended = ending();
      if (!ended) return;
      const outcome = attemptOutcome(this.ctx.info, ended, {
        ...facts,
        capture: this.deps.capture,
        workerVersion: this.workerVersion,
        handling: attempt.handling,
      });
      recording = this.deps.recorder.record(outcome);
    } catch (recordError) {
      this.internalError(recordError, 'recording the activity outcome');
      return;
    }
    await recording;
  }

  private refusedHandling(label: string): void {
    const { activityType, activityId, attempt } = this.ctx.info;
    this.deps.refusedHandlingLog.log(
      { activityType, activityId, attempt, label },
      'recordHandling() was given an empty label; the outcome keeps its handling (or the default path)',
    );
  }

  private internalError(error: unknown, doing: string): void {
    this.deps.counters.add('internalErrors');
    this.log().error({ err: error }, `internal error while ${doing}; the activity is not affected`);
  }

  /** A logger for this attempt, made when first needed (a line is rare, an attempt is not). */
  private log(): Logger {
    this.attemptLogger ??= this.deps.logger.child(attemptLogFields(this.ctx.info));
    return this.attemptLogger;
  }
}
