// The product page's OrderWorkflow: customer intelligence (and the health of the running build)
// decides its retry policy, then address, payment, inventory and shipping, each an activity that
// reads its own memory.
import { proxyActivities } from '@temporalio/workflow';
import { recallInsights } from '@temporal-stompy/plugin/workflow';
import type { SimulatedActivities } from './simulated-activities';
import type { SimulatedOrder } from './simulation-plan';

/** The activities an order runs, which the workflow asks the memory about before it starts. */
const ORDER_STEPS = ['verifyAddress', 'chargePayment', 'reserveInventory', 'shipOrder'];

/** How an order ended, and what memory made the workflow do. */
export interface SimulatedOrderResult {
  readonly orderId: string;
  readonly maximumAttempts: number;
  readonly customerRisk: 'low' | 'elevated' | 'high';
  readonly reasons: readonly string[];
}

/** Runs one order; fails when an activity runs out of attempts. */
export async function OrderWorkflow(order: SimulatedOrder): Promise<SimulatedOrderResult> {
  // Recorded in the history: replay sees what this run saw.
  const memory = await recallInsights(
    { customer: order.customerId },
    { eventTime: Date.parse(order.placedAt), activityTypes: ORDER_STEPS },
  );
  const maximumAttempts = memory.risk.level === 'high' ? 5 : 3;
  const steps = proxyActivities<SimulatedActivities>({
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '10 milliseconds', backoffCoefficient: 1, maximumAttempts },
  });
  await steps.verifyAddress(order);
  await steps.chargePayment(order);
  await steps.reserveInventory(order);
  await steps.shipOrder(order);
  return {
    orderId: order.orderId,
    maximumAttempts,
    customerRisk: memory.risk.level,
    reasons: memory.risk.reasons,
  };
}
