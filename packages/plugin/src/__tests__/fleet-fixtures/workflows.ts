// Workflows of the fleet test: plain workflow code, nothing of the plugin in it.
import { proxyActivities } from '@temporalio/workflow';
import type { FleetActivities, FleetOrderInput } from './fleet-order';

const { reserve, charge, ship, review } = proxyActivities<FleetActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '50 milliseconds', maximumAttempts: 2 },
});

/** Reserves, charges and ships an order. */
export async function FleetOrder(order: FleetOrderInput): Promise<string> {
  await reserve(order);
  await charge(order);
  return ship(order);
}

/** Returns what memory knew about a customer when its review activity started. */
export async function FleetReview(input: { customerId: string }): Promise<unknown> {
  return review(input);
}
