// The handling fixtures' workflow: ordinary workflow code with nothing of the plugin in it.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities/handling';

const { chargeWithFallback } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

/** A payment for a customer, placed at a business time. */
export interface HandledPayment {
  customerId: string;
  placedAt: string;
  useBackup: boolean;
}

/** Charges the customer through the gateway the activity chooses. */
export async function HandledCheckout(payment: HandledPayment): Promise<string> {
  return chargeWithFallback(payment.useBackup);
}
