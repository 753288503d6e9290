// Activities of the recording fixtures: ordinary activity code with nothing of the plugin in it.
import { activityInfo, ApplicationFailure, Context } from '@temporalio/activity';

/** What a charge is given; `cardToken` is a secret that must never reach memory. */
export interface Payment {
  orderId: string;
  cardToken: string;
  cents: number;
}

/** A price quote, run as a local activity; its args carry the secret too. */
export async function quote(orderId: string, cardToken: string): Promise<number> {
  return orderId.length * 100 + (cardToken.length > 0 ? 1 : 0);
}

/** Fails its first two attempts with a retryable GatewayTimeout, then charges. */
export async function chargeCard(payment: Payment): Promise<string> {
  const { attempt } = activityInfo();
  if (attempt < 3)
    throw ApplicationFailure.retryable(`gateway timed out (attempt ${attempt})`, 'GatewayTimeout');
  return `charged ${payment.orderId} ${payment.cents}`;
}

/** Ships an order; its args carry no customer. */
export async function ship(orderId: string): Promise<string> {
  return `shipped ${orderId}`;
}

/** Reserves stock; its args carry no customer. */
export async function reserveStock(orderId: string): Promise<string> {
  return `reserved ${orderId}`;
}

/** Waits for an approval that never comes, heartbeating, until it is cancelled. */
export async function awaitApproval(orderId: string): Promise<never> {
  const context = Context.current();
  for (;;) {
    context.heartbeat(orderId);
    await context.sleep(100); // throws CancelledFailure once the cancellation arrives
  }
}
