// Activities of the replay fixtures: ordinary activity code with nothing of the plugin in it.
import { ApplicationFailure } from '@temporalio/activity';

/** A price, run as a local activity. */
export async function priceOf(orderId: string): Promise<number> {
  return orderId.length * 100;
}

/** Charges a card. */
export async function chargeCard(customerId: string, cents: number): Promise<string> {
  return `charged ${customerId} ${cents}`;
}

/** Always refuses with a retryable error: retried, then failed, in the history. */
export async function verifyAddress(customerId: string): Promise<never> {
  throw ApplicationFailure.retryable(`address of ${customerId} not found`, 'AddressUnknown');
}

/** Ships an order. */
export async function ship(orderId: string): Promise<string> {
  return `shipped ${orderId}`;
}
