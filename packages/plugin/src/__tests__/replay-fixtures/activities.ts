import { ApplicationFailure } from '@temporalio/activity';

/** Charges a card (always succeeds in the fixtures). */
export async function chargeCard(customerId: string, cents: number): Promise<string> {
  return `charged ${customerId} ${cents}`;
}

/** Always refuses: a retried, then failed, activity in the history. */
export async function refuseCard(customerId: string): Promise<never> {
  throw ApplicationFailure.retryable(`card of ${customerId} refused`, 'CardDeclined');
}

/** A price, as a local activity. */
export async function priceOf(item: string): Promise<number> {
  return item.length * 100;
}
