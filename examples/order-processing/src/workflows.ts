// The order workflow, exactly as a team would have written it before adding memory: it imports
// nothing from temporal-stompy. The plugin at the worker records its runs and activity attempts.
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { OrderActivities } from './activities';
import type { Order, OrderResult } from './order';

const { validateOrder, chargePayment, reserveInventory, sendConfirmation } = proxyActivities<OrderActivities>(
  {
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '50 milliseconds', backoffCoefficient: 1, maximumAttempts: 4 },
  },
);

/** Validates, charges, reserves and confirms one order. */
export async function OrderWorkflow(order: Order): Promise<OrderResult> {
  const valid = await validateOrder(order);
  if (!valid) throw ApplicationFailure.nonRetryable(`order ${order.orderId} is invalid`, 'InvalidOrder');
  const payment = await chargePayment(order);
  await reserveInventory(order.orderId, order.items);
  await sendConfirmation(order.customerId, order.orderId);
  return {
    orderId: order.orderId,
    status: 'confirmed',
    gateway: payment.gateway,
    reason: payment.reason,
    paymentAttempts: payment.attempt,
  };
}
