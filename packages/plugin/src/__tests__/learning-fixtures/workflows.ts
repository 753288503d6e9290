// A checkout workflow with nothing of the plugin in it.
import { proxyActivities } from '@temporalio/workflow';
import type { LearningActivities } from './activities';

const { charge, adviseCharge, auditCharge } = proxyActivities<LearningActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

/** Charges a customer, or (advise mode) returns what memory says before charging. */
export async function Checkout(input: {
  customerId: string;
  mode: 'charge' | 'advise' | 'audit';
}): Promise<unknown> {
  if (input.mode === 'advise') return adviseCharge();
  if (input.mode === 'audit') return auditCharge();
  return charge(input.customerId);
}
