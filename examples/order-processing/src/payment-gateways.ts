import { ApplicationFailure } from '@temporalio/activity';

/** The payment gateways the example can charge through. */
export type Gateway = 'primary' | 'backup';

/**
 * A stand-in for two real payment gateways. The primary gateway times out for customers whose bank
 * it cannot reach (here: ids listed in `unreachableOnPrimary`); the backup reaches everyone but costs
 * more, so code uses it only when there is a reason to.
 */
export class PaymentGateways {
  readonly charges: { customerId: string; gateway: Gateway }[] = [];

  constructor(private readonly unreachableOnPrimary: ReadonlySet<string>) {}

  /** Charges a customer through a gateway, or throws a retryable `GatewayTimeout`. */
  charge(customerId: string, amountCents: number, gateway: Gateway): void {
    if (amountCents <= 0) throw ApplicationFailure.nonRetryable('amount must be positive', 'InvalidAmount');
    if (gateway === 'primary' && this.unreachableOnPrimary.has(customerId)) {
      throw ApplicationFailure.retryable(
        `primary gateway timed out reaching the bank of ${customerId}`,
        'GatewayTimeout',
      );
    }
    this.charges.push({ customerId, gateway });
  }
}
