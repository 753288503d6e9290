// The order activities of the simulated world. Each reads its memory where it has a careful way to
// work: the backup gateway, a later inventory slot, a person's review of the address. When its
// attempt's risk is high it takes that way and says so with `recordHandling`, so the memory learns
// what worked without forgetting why it was needed.
import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import { recalledContext, recordHandling } from '@temporal-stompy/plugin';
import { attemptFails, injectedPattern } from './injected-patterns';
import type { SimulatedOrder } from './simulation-plan';

/** One activity attempt as the demo scores it. */
export interface AttemptObservation {
  readonly activityType: string;
  readonly order: SimulatedOrder;
  readonly attempt: number;
  /** The attempt's risk as the memory gave it (undefined: no memory). */
  readonly risk: 'low' | 'elevated' | 'high' | undefined;
  readonly reasons: readonly string[];
  /** The injected pattern it fell inside, if any. */
  readonly pattern: string | undefined;
  readonly handling: string | undefined;
  readonly failed: boolean;
  readonly build: string;
}

/** What the simulated activities need: the seed, the worker's build, and where observations go. */
export interface SimulationServices {
  readonly seed: number;
  readonly build: string;
  observe(observation: AttemptObservation): void;
}

/** The careful way each activity can take, and the error it fails with otherwise. */
const CAREFUL: Readonly<Record<string, { handling: string | undefined; error: string }>> = {
  verifyAddress: { handling: 'manual-review', error: 'AddressUnverified' },
  chargePayment: { handling: 'backup-gateway', error: 'GatewayTimeout' },
  reserveInventory: { handling: 'later-slot', error: 'InventoryTimeout' },
  // No careful way around a broken build: the workflow's retry policy is what helps.
  shipOrder: { handling: undefined, error: 'ShippingLabelError' },
};

/** The simulated order activities. */
export function createSimulatedActivities(services: SimulationServices) {
  const run = async (activityType: string, order: SimulatedOrder): Promise<string> => {
    const memory = recalledContext();
    const careful = CAREFUL[activityType] ?? { handling: undefined, error: 'Failed' };
    const avoid = memory?.risk.level === 'high' && careful.handling !== undefined;
    if (avoid && careful.handling) recordHandling(careful.handling);
    const pattern = injectedPattern(activityType, order, services.build);
    const { attempt } = activityInfo();
    const failed = attemptFails(services.seed, order, activityType, attempt, pattern, avoid);
    services.observe({
      activityType,
      order,
      attempt,
      risk: memory?.risk.level,
      reasons: memory?.risk.reasons ?? [],
      pattern: pattern?.name,
      handling: avoid ? careful.handling : undefined,
      failed,
      build: services.build,
    });
    if (failed)
      throw ApplicationFailure.retryable(`${activityType} failed for ${order.orderId}`, careful.error);
    return avoid ? (careful.handling ?? 'done') : 'done';
  };
  return {
    /** Checks the shipping address (a person reviews it when memory says it keeps failing). */
    verifyAddress: (order: SimulatedOrder) => run('verifyAddress', order),
    /** Charges the order (through the backup gateway when memory says the primary will fail). */
    chargePayment: (order: SimulatedOrder) => run('chargePayment', order),
    /** Reserves stock (in a later slot when memory says the service is timing out now). */
    reserveInventory: (order: SimulatedOrder) => run('reserveInventory', order),
    /** Books the shipment. */
    shipOrder: (order: SimulatedOrder) => run('shipOrder', order),
  };
}

/** The simulated activities' type, for `proxyActivities` in the workflow. */
export type SimulatedActivities = ReturnType<typeof createSimulatedActivities>;
