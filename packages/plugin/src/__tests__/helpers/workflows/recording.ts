// Workflows of the recording fixtures: ordinary workflow code with nothing of the plugin in it. Between
// them they end every way a run can end, and run an activity that is retried, a local activity and a
// child workflow.
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  defineSignal,
  executeChild,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type * as activities from '../activities/recording';

const { chargeCard, ship, reserveStock } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '10 milliseconds', backoffCoefficient: 1, maximumAttempts: 3 },
});
const { awaitApproval } = proxyActivities<typeof activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '1 second',
  // The run ends only once the attempt has seen the cancellation, so the attempt has been recorded.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});
const { quote } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** An order; `cardToken` is a secret that must never reach memory. */
export interface OrderInput {
  orderId: string;
  customerId: string;
  cardToken: string;
}

/** Completes: a local activity, an activity that fails twice before it succeeds, and a child workflow. */
export async function RecOrder(input: OrderInput): Promise<string> {
  const cents = await quote(input.orderId, input.cardToken);
  const receipt = await chargeCard({ orderId: input.orderId, cardToken: input.cardToken, cents });
  const shipped = await executeChild(RecShipment, {
    args: [input.orderId],
    workflowId: `${input.orderId}-shipment`,
  });
  return `${receipt}; ${shipped}`;
}

/** A child workflow whose args carry no customer: it inherits its parent's. */
export async function RecShipment(orderId: string): Promise<string> {
  return ship(orderId);
}

/** Fails for good with a non-retryable ApplicationFailure after one activity. */
export async function RecOutOfStock(input: OrderInput): Promise<never> {
  await reserveStock(input.orderId);
  throw ApplicationFailure.nonRetryable(`no stock left for ${input.orderId}`, 'OutOfStock');
}

/** Reserves stock, then waits for an approval that never comes: it ends when cancelled, and so does the wait. */
export async function RecAwaitingApproval(input: OrderInput): Promise<void> {
  await reserveStock(input.orderId);
  await awaitApproval(input.orderId);
}

/** Runs one batch per run: continues as new after batch 0, completes after batch 1. */
export async function RecBatches(input: OrderInput & { batch: number }): Promise<number> {
  await reserveStock(`${input.orderId}-${input.batch}`);
  if (input.batch === 0) await continueAsNew<typeof RecBatches>({ ...input, batch: 1 });
  return input.batch;
}

/** Gives up waiting with a timeout scope of its own: the run fails (nobody asked it to cancel). */
export async function RecGaveUp(input: OrderInput): Promise<void> {
  await CancellationScope.withTimeout('50 milliseconds', () => sleep('1 hour'));
  throw ApplicationFailure.nonRetryable(`never reached for ${input.orderId}`);
}

/** Rejects the order with a reason. */
export const rejectOrder = defineSignal<[string]>('rejectOrder');

/** Waits for a decision; the rejectOrder signal handler fails the run. */
export async function RecAwaitingDecision(input: OrderInput): Promise<void> {
  setHandler(rejectOrder, (reason) => {
    throw ApplicationFailure.nonRetryable(`${input.orderId} rejected: ${reason}`, 'OrderRejected');
  });
  await condition(() => false);
}
