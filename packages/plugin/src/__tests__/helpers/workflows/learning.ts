// The learning fixtures' workflow: ordinary workflow code with nothing of the plugin in it.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities/learning';

const { chargeCard, reviewRisk, auditPayment } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

/** One step of a checkout for a customer. */
export interface CheckoutStep {
  customerId: string;
  step: 'charge' | 'review' | 'audit';
}

/** Charges the customer, or returns what a review or an audit activity was told by memory. */
export async function LearnCheckout(input: CheckoutStep): Promise<unknown> {
  if (input.step === 'review') return reviewRisk();
  if (input.step === 'audit') return auditPayment();
  return chargeCard(input.customerId);
}
