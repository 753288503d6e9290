import type { ConcludeActivationInput } from '@temporalio/workflow';
import type { OutcomeError, OutcomeStatus } from '../common/outcome';
import { cutText } from '../common/cut-text';

/** One command of a workflow activation, as the SDK sends it to the server. */
type WorkflowCommand = ConcludeActivationInput['commands'][number];

/** A failure as the SDK encodes it for the server (`temporal.api.failure.v1.Failure`). */
export type EncodedFailure = NonNullable<NonNullable<WorkflowCommand['failWorkflowExecution']>['failure']>;

/** How a run ended, read from the command that ends it; `failure` is set when it failed. */
export interface RunEnding {
  status: OutcomeStatus;
  failure?: EncodedFailure;
}

/**
 * The ending of the run in an activation's commands, or undefined when none of them ends the run.
 * These commands are the SDK's own decision, so every way a run can end is seen the same way: the
 * main function returning or throwing, a signal or update handler throwing or continuing as new, an
 * error type listed in `workflowFailureErrorTypes` or `failureExceptionTypes`, a cancellation the
 * workflow asked for itself (which fails the run) or one it was asked for (which cancels it).
 */
export function runEnding(commands: readonly WorkflowCommand[]): RunEnding | undefined {
  for (const command of commands) {
    if (command.completeWorkflowExecution) return { status: 'completed' };
    if (command.continueAsNewWorkflowExecution) return { status: 'continued_as_new' };
    if (command.cancelWorkflowExecution) return { status: 'cancelled' };
    if (command.failWorkflowExecution) {
      const { failure } = command.failWorkflowExecution;
      return failure ? { status: 'failed', failure } : { status: 'failed' };
    }
  }
  return undefined;
}

/** Longest chain of causes followed; a failure is built by the SDK, but a cycle must not hang us. */
const MAX_CAUSE_DEPTH = 20;

/**
 * Describes a failure the run ended with, as Temporal's history holds it: the innermost cause's
 * application type (or the kind of failure: `TimeoutFailure`, `CancelledFailure`, ...), its message
 * and whether it is non-retryable. With a failure converter that encodes messages, the message is
 * what Temporal stores too ("Encoded failure"): memory never holds what the user chose to hide.
 */
export function describeFailure(failure: EncodedFailure, maxMessageLength: number): OutcomeError {
  let root = failure;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && root.cause; depth++) root = root.cause;
  return {
    type: failureType(root),
    message: cutText(root.message ?? '', maxMessageLength),
    nonRetryable: root.applicationFailureInfo?.nonRetryable === true,
  };
}

function failureType(failure: EncodedFailure): string {
  if (failure.applicationFailureInfo) return failure.applicationFailureInfo.type || 'ApplicationFailure';
  if (failure.timeoutFailureInfo) return 'TimeoutFailure';
  if (failure.canceledFailureInfo) return 'CancelledFailure';
  if (failure.terminatedFailureInfo) return 'TerminatedFailure';
  if (failure.serverFailureInfo) return 'ServerFailure';
  if (failure.activityFailureInfo) return 'ActivityFailure';
  if (failure.childWorkflowExecutionFailureInfo) return 'ChildWorkflowFailure';
  return 'Failure';
}
