/**
 * `@temporal-stompy/plugin/workflow`: memory for decisions in workflow code. Import it from workflow
 * files only; it is bundled into the workflow sandbox and imports nothing worker-side.
 *
 * @example
 * ```ts
 * import { recallInsights } from '@temporal-stompy/plugin/workflow';
 *
 * export async function OrderWorkflow(order: Order): Promise<void> {
 *   const memory = await recallInsights({ customer: order.customerId });
 *   const retry = memory.risk.level === 'high' ? { maximumAttempts: 5 } : { maximumAttempts: 3 };
 *   ...
 * }
 * ```
 *
 * @experimental
 * @module
 */
export { recallInsights } from './workflow/recall-insights';
export type { RecallInsightsOptions } from './workflow/recall-insights';
export type { WorkflowMemory } from './common/workflow-memory';
export type { AttemptKeyInsights, AttemptWindow } from './common/key-insights';
export type { AttemptRisk } from '@temporal-stompy/insights';
