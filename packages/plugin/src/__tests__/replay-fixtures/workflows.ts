// Workflows whose histories the replay tests commit. They import nothing from the plugin and use
// everything the plugin's sandbox interceptors touch: activities (one failing and caught), a local
// activity, a child workflow, continue-as-new, and a failing run.
import {
  ApplicationFailure,
  continueAsNew,
  executeChild,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from './activities';

const { chargeCard, refuseCard } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 2, initialInterval: '10 milliseconds' },
});
const { priceOf } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** An order in two runs (continue-as-new after the first), with a child shipment. */
export async function ReplayOrderWorkflow(input: { customerId: string; round: number }): Promise<string> {
  const price = await priceOf('book');
  const receipt = await chargeCard(input.customerId, price);
  let refusal = 'none';
  try {
    await refuseCard(input.customerId);
  } catch {
    refusal = 'caught';
  }
  const shipment = await executeChild(ReplayShipmentWorkflow, {
    args: [input.customerId],
    workflowId: `${workflowInfo().workflowId}-shipment-${input.round}`,
  });
  if (input.round === 0) await continueAsNew<typeof ReplayOrderWorkflow>({ ...input, round: 1 });
  return `${receipt}/${refusal}/${shipment}`;
}

/** A child workflow with one activity. */
export async function ReplayShipmentWorkflow(customerId: string): Promise<string> {
  return chargeCard(customerId, 1);
}

/** A run that fails for good. */
export async function ReplayFailingWorkflow(customerId: string): Promise<never> {
  await chargeCard(customerId, 2);
  throw ApplicationFailure.nonRetryable(`no stock for ${customerId}`, 'OutOfStock');
}
