/**
 * Interceptors that run inside the workflow sandbox. They extract the run's keys with the declarative
 * workflow rules, pass those keys to every activity and child workflow in a header, and report how
 * the run ended, read from the activation's commands, through a sink. Deterministic by construction:
 * no I/O, no await before `next()`, no randomness; sinks are not called during replay.
 *
 * @module
 */
import {
  proxySinks,
  workflowInfo,
  type ActivityInput,
  type ConcludeActivationInput,
  type ConcludeActivationOutput,
  type ContinueAsNewInput,
  type LocalActivityInput,
  type StartChildWorkflowExecutionInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { Next } from '@temporalio/common';
import { mergeKeys, NO_KEYS, type ExecutionKeys } from '../common/execution-keys';
import { KEYS_HEADER } from '../common/headers';
import { decodeKeys, encodeKeys } from '../common/keys-header';
import type { OutcomeError } from '../common/outcome';
import { MAX_ERROR_MESSAGE_LENGTH } from '../common/describe-error';
import { describeFailure, runEnding, type RunEnding } from './run-ending';
import type { StompySinks } from './sinks';
import { workflowRules } from './workflow-rules-config';
import { extractWorkflowKeys, type RejectedEventTime } from '../common/workflow-rules';

const { stompyOutcomes } = proxySinks<StompySinks>();

/** Per-run state shared by the interceptors of one workflow execution. */
interface RunState {
  keys: ExecutionKeys;
  /** An event time a rule read that is no time; reported with the run's ending, where it is logged. */
  rejectedEventTime?: RejectedEventTime;
  /** Whether this run's ending was reported (a run ends once; its ending is reported once per isolate). */
  reported: boolean;
}

/** What a run that was cancelled records as its issue (the command that cancels it carries no failure). */
const CANCELLED: OutcomeError = {
  type: 'CancelledFailure',
  message: 'workflow execution cancelled',
  nonRetryable: false,
};

class RunKeysInbound implements WorkflowInboundCallsInterceptor {
  constructor(private readonly state: RunState) {}

  execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    this.state.keys = runKeys(input, (rejected) => (this.state.rejectedEventTime = rejected));
    return next(input);
  }
}

/**
 * Reports how the run ended from the command that ends it, the moment the SDK concludes the
 * activation that carries it. Reading the SDK's decision, rather than guessing it from the errors
 * that escape the workflow's code, sees every way a run ends (see {@link runEnding}).
 */
class RunEndingInternals implements WorkflowInternalsInterceptor {
  constructor(private readonly state: RunState) {}

  concludeActivation(
    input: ConcludeActivationInput,
    next: Next<WorkflowInternalsInterceptor, 'concludeActivation'>,
  ): ConcludeActivationOutput {
    const output = next(input);
    if (!this.state.reported) {
      try {
        const ending = runEnding(output.commands);
        if (ending) {
          this.state.reported = true;
          this.report(ending);
        }
      } catch {
        // Reporting must never change the workflow's outcome. A failure here is a plugin bug; the
        // worker side notices the missing outcome, the workflow does not.
      }
    }
    return output;
  }

  private report({ status, failure }: RunEnding): void {
    const info = workflowInfo();
    const error =
      status === 'cancelled'
        ? CANCELLED
        : failure
          ? describeFailure(failure, MAX_ERROR_MESSAGE_LENGTH)
          : undefined;
    stompyOutcomes.workflowEnded({
      namespace: info.namespace,
      taskQueue: info.taskQueue,
      workflowId: info.workflowId,
      runId: info.runId,
      workflowType: info.workflowType,
      status,
      ...(error === undefined ? {} : { error }),
      startedAtMs: info.runStartTime.getTime(),
      endedAtMs: Date.now(),
      attempt: info.attempt,
      ...(info.parent ? { parent: { workflowId: info.parent.workflowId, runId: info.parent.runId } } : {}),
      keys: this.state.keys,
      ...(this.state.rejectedEventTime ? { rejectedEventTime: this.state.rejectedEventTime } : {}),
    });
  }
}

/** Keys of this run: inherited from a parent or a previous run (header), then this workflow's rules. */
function runKeys(
  input: WorkflowExecuteInput,
  onRejectedEventTime: (rejected: RejectedEventTime) => void,
): ExecutionKeys {
  try {
    const info = workflowInfo();
    const facts = {
      args: input.args,
      memo: info.memo,
      workflowId: info.workflowId,
      workflowType: info.workflowType,
    };
    const own = extractWorkflowKeys(workflowRules(), facts, onRejectedEventTime);
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
  const state: RunState = { keys: NO_KEYS, reported: false };
  return {
    inbound: [new RunKeysInbound(state)],
    outbound: [new KeysPropagatingOutbound(state)],
    internals: [new RunEndingInternals(state)],
  };
};
