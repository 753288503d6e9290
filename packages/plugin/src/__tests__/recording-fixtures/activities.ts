import { activityInfo, ApplicationFailure } from '@temporalio/activity';

/** A price quote (run as a local activity). */
export async function quote(orderId: string): Promise<number> {
  return orderId.length * 100;
}

/** Reserves stock. */
export async function reserve(orderId: string): Promise<string> {
  return `reserved ${orderId}`;
}

/** Fails its first two attempts with a retryable GatewayTimeout, then succeeds. */
export async function flakyCharge(orderId: string, cents: number): Promise<string> {
  if (activityInfo().attempt < 3) throw ApplicationFailure.retryable('gateway timed out', 'GatewayTimeout');
  return `charged ${orderId} ${cents}`;
}

/** Sends a notification. */
export async function notify(orderId: string): Promise<void> {
  void orderId;
}

/** Declines for good. */
export async function declineCard(orderId: string): Promise<never> {
  throw ApplicationFailure.nonRetryable(`card declined for ${orderId}`, 'CardDeclined');
}
