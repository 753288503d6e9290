import { activityInfo } from '@temporalio/activity';
import { recalledContext } from '@temporal-stompy/plugin';
import type { Order } from './order';
import type { Gateway, PaymentGateways } from './payment-gateways';

/** What the example's activities need from the outside world. */
export interface OrderServices {
  gateways: PaymentGateways;
}

/** The order activities, bound to their services (the usual Temporal dependency-injection pattern). */
export function createActivities({ gateways }: OrderServices) {
  return {
    /** Checks an order before anything is charged. */
    async validateOrder(order: Order): Promise<boolean> {
      return order.items.length > 0 && order.amountCents > 0;
    },

    /**
     * Charges the order. This is the one place the team chose to read memory: when past executions
     * show the primary gateway timing out for this customer, go straight to the backup.
     */
    async chargePayment(order: Order): Promise<PaymentReceipt> {
      const { gateway, reason } = chooseGateway(order.customerId);
      gateways.charge(order.customerId, order.amountCents, gateway);
      return { gateway, reason, attempt: activityInfo().attempt };
    },

    /** Reserves stock for the order's items. */
    async reserveInventory(orderId: string, items: string[]): Promise<number> {
      return orderId.length > 0 ? items.length : 0;
    },

    /** Tells the customer the order is confirmed. */
    async sendConfirmation(customerId: string, orderId: string): Promise<string> {
      return `order ${orderId} confirmed for ${customerId}`;
    },
  };
}

/** How a payment went: the gateway, why it was chosen, and on which attempt it succeeded. */
export interface PaymentReceipt {
  gateway: Gateway;
  reason: string;
  attempt: number;
}

/** Picks the gateway from memory: the backup when this customer's past outcomes include gateway timeouts. */
export function chooseGateway(customerId: string): { gateway: Gateway; reason: string } {
  const memory = recalledContext();
  if (!memory) return { gateway: 'primary', reason: 'no memory' };
  const customer = memory.insights[`customer:${customerId}`];
  const timeouts = customer?.commonIssues.find((issue) => issue.type === 'GatewayTimeout')?.count ?? 0;
  if (timeouts === 0)
    return { gateway: 'primary', reason: 'no gateway trouble remembered for this customer' };
  return {
    gateway: 'backup',
    reason: `memory: ${timeouts} GatewayTimeout(s) for customer:${customerId} in ${customer?.runs ?? 0} outcomes`,
  };
}

/** The activities' type, for `proxyActivities<OrderActivities>()`. */
export type OrderActivities = ReturnType<typeof createActivities>;
