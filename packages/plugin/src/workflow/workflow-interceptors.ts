/**
 * Interceptors that run inside the workflow sandbox. They extract the run's keys with the declarative
 * workflow rules, pass those keys to every activity and child workflow in a header, and report how
 * the run ended through a sink. Deterministic by construction: no I/O, no await before `next()`, no
 * randomness; sinks are not called during replay.
 *
 * @module
 */
import {
  CancellationScope,
  ContinueAsNew,
  isCancellation,
  TemporalFailure,
  proxySinks,
  workflowInfo,
  type ActivityInput,
  type ContinueAsNewInput,
  type LocalActivityInput,
  type SignalInput,
  type StartChildWorkflowExecutionInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { Next } from '@temporalio/common';
import { mergeKeys, NO_KEYS, type ExecutionKeys } from '../common/execution-keys';
import { KEYS_HEADER } from '../common/headers';
import { decodeKeys, encodeKeys } from '../common/keys-header';
import type { OutcomeStatus } from '../common/outcome';
import { describeError } from '../common/describe-error';
import type { StompySinks } from './sinks';
import { workflowRules } from './workflow-rules-config';
import { extractWorkflowKeys } from '../common/workflow-rules';

const { stompyOutcomes } = proxySinks<StompySinks>();

/** Per-run state shared by the inbound and outbound interceptors of one workflow execution. */
interface RunState {
  keys: ExecutionKeys;
}

class OutcomeReportingInbound implements WorkflowInboundCallsInterceptor {
  constructor(private readonly state: RunState) {}

  async execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    this.state.keys = runKeys(input);
    try {
      const result = await next(input);
      this.report('completed');
      return result;
    } catch (error) {
      this.reportEndedBy(error);
      throw error;
    }
  }

  /** A signal handler that throws ends the run the way the main function would (Temporal treats it so). */
  async handleSignal(
    input: SignalInput,
    next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>,
  ): Promise<void> {
    try {
      return await next(input);
    } catch (error) {
      this.reportEndedBy(error);
      throw error;
    }
  }

  /** Reports how an error thrown out of the workflow ends the run, as the SDK decides it. */
  private reportEndedBy(error: unknown): void {
    if (error instanceof ContinueAsNew) this.report('continued_as_new');
    // A cancellation error ends the run as cancelled only when the run was asked to cancel; otherwise
    // (a scope the workflow cancelled itself, such as CancellationScope.withTimeout) it fails the run.
    else if (isCancellation(error) && CancellationScope.current().consideredCancelled)
      this.report('cancelled', error);
    // Only a TemporalFailure fails the run; any other error fails the workflow *task*, which Temporal
    // retries, so the run has not ended and there is nothing to record yet.
    else if (error instanceof TemporalFailure) this.report('failed', error);
  }

  private report(status: OutcomeStatus, error?: unknown): void {
    try {
      const info = workflowInfo();
      stompyOutcomes.workflowEnded({
        namespace: info.namespace,
        taskQueue: info.taskQueue,
        workflowId: info.workflowId,
        runId: info.runId,
        workflowType: info.workflowType,
        status,
        ...(error === undefined ? {} : { error: describeError(error) }),
        startedAtMs: info.runStartTime.getTime(),
        endedAtMs: Date.now(),
        attempt: info.attempt,
        ...(info.parent ? { parent: { workflowId: info.parent.workflowId, runId: info.parent.runId } } : {}),
        keys: this.state.keys,
      });
    } catch {
      // Reporting must never change the workflow's outcome. A failure here is a plugin bug; the worker
      // side notices the missing outcome, the workflow does not.
    }
  }
}

/** Keys of this run: inherited from a parent or a previous run (header), then this workflow's rules. */
function runKeys(input: WorkflowExecuteInput): ExecutionKeys {
  try {
    const info = workflowInfo();
    const own = extractWorkflowKeys(workflowRules(), {
      args: input.args,
      memo: info.memo,
      workflowId: info.workflowId,
      workflowType: info.workflowType,
    });
    return mergeKeys(decodeKeys(input.headers[KEYS_HEADER]), own);
  } catch {
    return NO_KEYS;
  }
}

class KeysPropagatingOutbound implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly state: RunState) {}

  scheduleActivity(
    input: ActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>,
  ): Promise<unknown> {
    return next(this.withKeys(input));
  }

  scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ): Promise<unknown> {
    return next(this.withKeys(input));
  }

  startChildWorkflowExecution(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
  ): Promise<[Promise<string>, Promise<unknown>]> {
    return next(this.withKeys(input));
  }

  continueAsNew(
    input: ContinueAsNewInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>,
  ): Promise<never> {
    return next(this.withKeys(input));
  }

  /** Adds the run's keys header; replay compares activity id and type, never headers, so this is replay-safe. */
  private withKeys<T extends { headers: Record<string, unknown> }>(input: T): T {
    const { keys } = this.state;
    if (keys.tags.length === 0 && Object.keys(keys.entities).length === 0) return input;
    try {
      return { ...input, headers: { ...input.headers, [KEYS_HEADER]: encodeKeys(keys) } };
    } catch {
      return input;
    }
  }
}

/** The sandbox interceptors factory the worker loads through the plugin's `workflowModules`. */
export const interceptors: WorkflowInterceptorsFactory = () => {
  const state: RunState = { keys: NO_KEYS };
  return {
    inbound: [new OutcomeReportingInbound(state)],
    outbound: [new KeysPropagatingOutbound(state)],
  };
};
