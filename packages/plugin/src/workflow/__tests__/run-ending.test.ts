import { describeFailure, runEnding, type EncodedFailure } from '../run-ending';

// The sandbox reads how a run ended from the commands the SDK sends, and describes the failure the
// way Temporal's history holds it. Pure functions over the command shapes.

describe('runEnding', () => {
  it('finds the command that ends the run among the others', () => {
    const timer = { startTimer: { seq: 1 } };
    expect(runEnding([timer, { completeWorkflowExecution: {} }])).toEqual({ status: 'completed' });
    expect(runEnding([{ continueAsNewWorkflowExecution: { workflowType: 'W' } }])).toEqual({
      status: 'continued_as_new',
    });
    expect(runEnding([{ cancelWorkflowExecution: {} }])).toEqual({ status: 'cancelled' });
    const failure: EncodedFailure = { message: 'boom', applicationFailureInfo: { type: 'Boom' } };
    expect(runEnding([timer, { failWorkflowExecution: { failure } }])).toEqual({ status: 'failed', failure });
    expect(runEnding([{ failWorkflowExecution: {} }])).toEqual({ status: 'failed' });
  });

  it('finds nothing in an activation that does not end the run', () => {
    expect(runEnding([])).toBeUndefined();
    expect(runEnding([{ startTimer: { seq: 1 } }, { scheduleActivity: { seq: 2 } }])).toBeUndefined();
  });
});

describe('describeFailure', () => {
  it('describes the innermost cause: its application type, message and retryability', () => {
    const failure: EncodedFailure = {
      message: 'Activity task failed',
      activityFailureInfo: { activityType: { name: 'charge' } },
      cause: {
        message: 'card declined',
        applicationFailureInfo: { type: 'CardDeclined', nonRetryable: true },
      },
    };
    expect(describeFailure(failure, 500)).toEqual({
      type: 'CardDeclined',
      message: 'card declined',
      nonRetryable: true,
    });
  });

  it('names failures that are not application failures by their kind', () => {
    const kinds: [EncodedFailure, string][] = [
      [{ timeoutFailureInfo: {} }, 'TimeoutFailure'],
      [{ canceledFailureInfo: {} }, 'CancelledFailure'],
      [{ terminatedFailureInfo: {} }, 'TerminatedFailure'],
      [{ serverFailureInfo: {} }, 'ServerFailure'],
      [{ activityFailureInfo: {} }, 'ActivityFailure'],
      [{ childWorkflowExecutionFailureInfo: {} }, 'ChildWorkflowFailure'],
      [{ applicationFailureInfo: { type: '' } }, 'ApplicationFailure'],
      [{}, 'Failure'],
    ];
    for (const [failure, type] of kinds) {
      expect(describeFailure(failure, 500)).toEqual({ type, message: '', nonRetryable: false });
    }
  });

  it('cuts long messages and stops following causes after a bounded depth', () => {
    expect(describeFailure({ message: 'x'.repeat(900) }, 500).message).toHaveLength(500);
    let deep: EncodedFailure = { message: 'innermost', applicationFailureInfo: { type: 'Deep' } };
    for (let i = 0; i < 50; i++) deep = { message: `level ${i}`, cause: deep };
    expect(describeFailure(deep, 500).type).toBe('Failure');
  });
});
