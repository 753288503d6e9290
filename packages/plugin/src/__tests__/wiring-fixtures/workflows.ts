// A workflow that knows nothing of the plugin: it takes a customer and calls one activity whose
// arguments do not carry the customer, so the activity's customer tag can only come from the header.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { lookupStock } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** Looks up stock for an order placed by a customer. */
export async function StockWorkflow(input: { customerId: string; sku: string }): Promise<number> {
  return lookupStock(input.sku);
}
