// Ordinary workflows with nothing of the plugin in them, covering each way a run and an attempt end.
import {
  ApplicationFailure,
  CancellationScope,
  continueAsNew,
  executeChild,
  proxyActivities,
  proxyLocalActivities,
  sleep,
} from '@temporalio/workflow';
import type * as activities from './activities';

const { reserve, flakyCharge, notify, declineCard } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '10 milliseconds', backoffCoefficient: 1, maximumAttempts: 3 },
});
const { quote } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '5 seconds' });

/** An order input; `secret` must never reach memory. */
export interface OrderInput {
  orderId: string;
  customerId: string;
  secret: string;
}

/** Completes: a local activity, an activity that fails twice then succeeds, and a child workflow. */
export async function RecordedOrder(input: OrderInput): Promise<string> {
  const price = await quote(input.orderId);
  await reserve(input.orderId);
  const receipt = await flakyCharge(input.orderId, price);
  await executeChild(RecordedNotification, { args: [input.orderId], workflowId: `${input.orderId}-notify` });
  return receipt;
}

/** A child workflow: inherits its parent's customer. */
export async function RecordedNotification(orderId: string): Promise<void> {
  await notify(orderId);
}

/** Fails for good after a non-retryable activity failure. */
export async function RecordedDeclined(input: OrderInput): Promise<void> {
  await declineCard(input.orderId);
}

/** Continues as new once, then completes. */
export async function RecordedBatches(input: OrderInput & { batch: number }): Promise<number> {
  await reserve(`${input.orderId}-b${input.batch}`);
  if (input.batch === 0) await continueAsNew<typeof RecordedBatches>({ ...input, batch: 1 });
  return input.batch;
}

/** Waits until cancelled. */
export async function RecordedCancelled(input: OrderInput): Promise<void> {
  await CancellationScope.cancellable(() => sleep('1 hour'));
  throw ApplicationFailure.nonRetryable(`never reached for ${input.orderId}`);
}
