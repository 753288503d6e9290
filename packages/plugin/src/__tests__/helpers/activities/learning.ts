// Activities of the learning fixtures. Two of them read memory with `recalledContext()`, as a team
// would in the activities where memory should change a decision; nothing else knows of the plugin.
import { ApplicationFailure } from '@temporalio/activity';
import { recalledContext } from '../../../index';

/** Declines customer C1's card for good; charges everyone else. */
export async function chargeCard(customerId: string): Promise<string> {
  if (customerId === 'C1')
    throw ApplicationFailure.nonRetryable(`card of ${customerId} declined`, 'CardDeclined');
  return `charged ${customerId}`;
}

/** Returns the memory this attempt started with (null when there is none). Its args carry no customer. */
export async function reviewRisk(): Promise<unknown> {
  return recalledContext() ?? null;
}

/** Same, for an activity whose rule says `recall: false`. */
export async function auditPayment(): Promise<unknown> {
  return recalledContext() ?? null;
}
