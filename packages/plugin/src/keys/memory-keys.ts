import { entityTag, type ExecutionKeys } from '../common/execution-keys';
import { safeTag } from './memory-tags';

/** The key an activity type is remembered under, e.g. `activity:chargeCard`. */
export function activityKey(activityType: string): string {
  return entityKey('activity', activityType);
}

/** The key an entity is remembered under, e.g. `customer:C1`. */
export function entityKey(name: string, value: string): string {
  return safeTag(entityTag(name, value));
}

/** The key a workflow type is remembered under, e.g. `workflow:OrderWorkflow`. */
export function workflowKey(workflowType: string): string {
  return entityKey('workflow', workflowType);
}

/**
 * The keys memory is recalled under for an activity type: one per entity (`customer:C1`) and the
 * activity type (`activity:chargePayment`). Rule tags such as `orders` are not keys: they describe a
 * whole category and would recall everything in it. The recorder files a new outcome under the same
 * keys, so this worker's next recall sees it at once.
 */
export function recallKeysFor(keys: ExecutionKeys, activityType: string | undefined): string[] {
  const recallKeys = Object.entries(keys.entities).map(([name, value]) => entityKey(name, value));
  if (activityType !== undefined) recallKeys.push(activityKey(activityType));
  return [...new Set(recallKeys)];
}
