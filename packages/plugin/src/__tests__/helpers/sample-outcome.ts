import type { Outcome } from '../../common/outcome';

// An outcome as the recorder gets it, for the tests of how memory holds it (its topic, its note).

/** The run id of {@link activityOutcome}'s workflow run. */
export const RUN_ID = '01a2116c-fa18-7071-ba26-6e345768f067';

/** A failed attempt (3) of a remote activity of an order workflow, for customer C9; `overrides` replace fields. */
export function activityOutcome(overrides: Partial<Outcome> = {}): Outcome {
  return {
    kind: 'activity',
    execution: {
      namespace: 'default',
      taskQueue: 'orders',
      workflowId: 'order-42',
      runId: RUN_ID,
      workflowType: 'OrderWorkflow',
    },
    activity: { activityId: '2', activityType: 'chargePayment', attempt: 3, local: false },
    status: 'failed',
    error: { type: 'GatewayTimeout', message: 'primary gateway\ntimed out', nonRetryable: false },
    startedAtMs: Date.UTC(2026, 10, 25, 6, 0, 0),
    endedAtMs: Date.UTC(2026, 10, 25, 6, 0, 0) + 1234,
    keys: { tags: ['orders'], entities: { customer: 'C9' } },
    ...overrides,
  };
}
