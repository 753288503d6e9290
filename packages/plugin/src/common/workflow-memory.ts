// What a workflow asks the memory with `recallInsights()` and what it gets back: the contract between
// the workflow helper (sandbox) and the plugin's activity that answers it (worker side).
import type { AttemptRisk } from '@temporal-stompy/insights';
import type { AttemptKeyInsights } from './key-insights';

/** The activity the plugin registers on every worker it wires, to answer `recallInsights()`. */
export const RECALL_INSIGHTS_ACTIVITY = 'stompy.recallInsights';

/** What `recallInsights()` sends the plugin's activity. */
export interface RecallInsightsRequest {
  /** Entity name to value, e.g. `{ customer: 'C9' }`: the keys `customer:C9`. */
  readonly entities: Readonly<Record<string, string>>;
  /** The business time the decision is for (workflow time by default), epoch milliseconds. */
  readonly eventTimeMs: number;
  /** Activity types the workflow will run: their keys (`activity:<type>`) are asked about too. */
  readonly activityTypes?: readonly string[];
}

/**
 * What the memory knows for a workflow's decision: the insights of the entities' keys and of the
 * workflow's type (`workflow:OrderWorkflow`), and the risk of the workflow's run. It comes from the
 * workflow's history once recorded, so replay sees exactly what the first run saw.
 */
export interface WorkflowMemory {
  /**
   * The keys the memory answered for: the entities', the activity types' asked about, then the
   * workflow type's; empty when it could not answer.
   */
  readonly keys: readonly string[];
  /** What the memory learned about each key it knows. */
  readonly insights: Readonly<Record<string, AttemptKeyInsights>>;
  /** How likely this run is to fail, and why. */
  readonly risk: AttemptRisk;
  /** False when the memory could not be asked in time (or at all): decide as without memory. */
  readonly complete: boolean;
}
