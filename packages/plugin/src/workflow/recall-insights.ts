// `recallInsights()`: memory for decisions in workflow code. Workflows cannot do I/O, so the question
// goes to an activity the plugin registers (local by default) and the answer is recorded in the
// workflow's history: replay reads it back from there, and the workflow stays deterministic.
import { ActivityFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import {
  RECALL_INSIGHTS_ACTIVITY,
  type RecallInsightsRequest,
  type WorkflowMemory,
} from '../common/workflow-memory';

/** Options of {@link recallInsights}. */
export interface RecallInsightsOptions {
  /** Ask through a local activity (default: no server round trip, answered by this worker) or a regular one. */
  readonly local?: boolean;
  /** The business time the decision is for: a Date or epoch milliseconds; default: workflow time now. */
  readonly eventTime?: Date | number;
  /** Longest the question may take before the workflow decides without memory; default 10 seconds. */
  readonly timeoutMs?: number;
  /**
   * Activity types the workflow will run: the memory is asked about them too (`insights['activity:<type>']`),
   * and a regression of the running build in one of them makes the run's risk high.
   */
  readonly activityTypes?: readonly string[];
}

type RecallInsightsActivities = Record<string, (request: RecallInsightsRequest) => Promise<WorkflowMemory>>;

/**
 * What the memory knows about these entities (and this workflow type), for a decision in workflow
 * code: `insights[key]` and the run's `risk`. Deterministic: the answer is recorded in the workflow's
 * history. When the memory cannot answer, resolves with `complete: false`, no insights and a low risk:
 * it never fails the workflow.
 *
 * @example
 * ```ts
 * const memory = await recallInsights({ customer: order.customerId });
 * const retry = memory.risk.level === 'high' ? { maximumAttempts: 5 } : { maximumAttempts: 3 };
 * ```
 * @experimental
 */
export async function recallInsights(
  entities: Readonly<Record<string, string | number>>,
  options: RecallInsightsOptions = {},
): Promise<WorkflowMemory> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const activityOptions = { startToCloseTimeout: timeoutMs, retry: { maximumAttempts: 1 } };
  const activities: RecallInsightsActivities =
    options.local === false
      ? proxyActivities<RecallInsightsActivities>({ ...activityOptions, scheduleToCloseTimeout: timeoutMs })
      : proxyLocalActivities<RecallInsightsActivities>(activityOptions);
  const request: RecallInsightsRequest = {
    entities: Object.fromEntries(Object.entries(entities).map(([name, value]) => [name, String(value)])),
    eventTimeMs: options.eventTime === undefined ? Date.now() : Number(options.eventTime),
    ...(options.activityTypes ? { activityTypes: [...options.activityTypes] } : {}),
  };
  const ask = activities[RECALL_INSIGHTS_ACTIVITY];
  try {
    if (!ask) throw new Error('unreachable: a proxy has every activity');
    return await ask(request);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    // Not registered (a worker without the plugin), timed out, or failed: decide without memory.
    return { keys: [], insights: {}, risk: { level: 'low', score: 0, reasons: [] }, complete: false };
  }
}
