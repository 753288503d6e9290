// Workflows whose histories the replay tests commit: ordinary workflow code with nothing of the plugin
// in it, using everything the plugin's sandbox interceptors touch: activities (one retried, failed and
// caught), a local activity, a child workflow, continue-as-new, signal handlers (one of them failing the
// run), and a run that fails.
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  defineSignal,
  executeChild,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type * as activities from '../activities/replay';

const { chargeCard, verifyAddress, ship } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '10 milliseconds', backoffCoefficient: 1, maximumAttempts: 2 },
});
const { priceOf } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** An order of a customer, in rounds. */
export interface ReplayOrderInput {
  orderId: string;
  customerId: string;
  round: number;
}

/** An order in two runs: continues as new after round 0, completes after round 1. */
export async function ReplayOrder(input: ReplayOrderInput): Promise<string> {
  const cents = await priceOf(input.orderId);
  const receipt = await chargeCard(input.customerId, cents);
  let address = 'verified';
  try {
    await verifyAddress(input.customerId);
  } catch {
    address = 'unverified';
  }
  const shipped = await executeChild(ReplayShipment, {
    args: [input.orderId],
    workflowId: `${input.orderId}-shipment-${input.round}`,
  });
  if (input.round === 0) await continueAsNew<typeof ReplayOrder>({ ...input, round: 1 });
  return `${receipt}; address ${address}; ${shipped}`;
}

/** A child workflow with one activity. */
export async function ReplayShipment(orderId: string): Promise<string> {
  return ship(orderId);
}

/** A run that fails for good with a non-retryable ApplicationFailure. */
export async function ReplayRejected(input: ReplayOrderInput): Promise<never> {
  await chargeCard(input.customerId, 1);
  throw ApplicationFailure.nonRetryable(`order ${input.orderId} rejected`, 'OrderRejected');
}

/** A decision on an order: approve it, or reject it (which fails the run from the signal handler). */
export const decide = defineSignal<['approve' | 'reject']>('decide');

/** Waits for a decision, then ships. */
export async function ReplayApproval(input: ReplayOrderInput): Promise<string> {
  let approved = false;
  setHandler(decide, (decision) => {
    if (decision === 'reject')
      throw ApplicationFailure.nonRetryable(`order ${input.orderId} declined`, 'Declined');
    approved = true;
  });
  await condition(() => approved);
  return ship(input.orderId);
}
