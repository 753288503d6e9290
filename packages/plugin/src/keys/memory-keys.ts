import { entityTag, type ExecutionKeys } from '../common/execution-keys';
import { safeTag } from './memory-tags';

/** The key an activity type is remembered under, e.g. `activity:chargeCard`. */
export function activityKey(activityType: string): string {
  return safeTag(entityTag('activity', activityType));
}

/** The key a workflow type is remembered under, e.g. `workflow:OrderWorkflow`. */
export function workflowKey(workflowType: string): string {
  return safeTag(entityTag('workflow', workflowType));
}

/**
 * The keys memory is recalled under for an activity type: one per entity (`customer:C1`) and the
 * activity type (`activity:chargePayment`). Rule tags such as `orders` are not keys: they describe a
 * whole category and would recall everything in it. The recorder files a new outcome under the same
 * keys, so this worker's next recall sees it at once.
 */
export function recallKeysFor(keys: ExecutionKeys, activityType: string | undefined): string[] {
  const recallKeys = Object.entries(keys.entities).map(([name, value]) => safeTag(entityTag(name, value)));
  if (activityType !== undefined) recallKeys.push(activityKey(activityType));
  return [...new Set(recallKeys)];
}
