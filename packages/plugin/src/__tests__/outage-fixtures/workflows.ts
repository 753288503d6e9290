// A plain workflow: three activities, nothing of the plugin.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { step } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

/** Runs three steps for a customer. */
export async function ThreeSteps(input: { customerId: string }): Promise<string[]> {
  return [await step(input.customerId, 1), await step(input.customerId, 2), await step(input.customerId, 3)];
}
