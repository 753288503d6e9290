// The fleet test's order, and when its activities fail: a pure rule the worker processes follow and
// the test counts with, so every attempt's outcome is known in advance.

import type { StompyPluginOptions } from '../../index';

/** The tag rules of every fleet worker (and of the bundle the test builds for them). */
export const FLEET_RULES: StompyPluginOptions['rules'] = [
  { workflow: 'FleetOrder', entities: { customer: 'args.0.customerId' } },
  { workflow: 'FleetReview', entities: { customer: 'args.0.customerId' } },
];

/** An order of the fleet test. */
export interface FleetOrderInput {
  readonly orderId: number;
  readonly customerId: string;
}

/** The activities of the fleet workflows (the worker processes implement them). */
export interface FleetActivities {
  reserve(order: FleetOrderInput): Promise<string>;
  charge(order: FleetOrderInput): Promise<string>;
  ship(order: FleetOrderInput): Promise<string>;
  /** Returns what `recalledContext()` gave the attempt (null when nothing). */
  review(input: { customerId: string }): Promise<unknown>;
}

/** What the worker process reports about each activity attempt it ran. */
export interface AttemptReport {
  readonly type: 'attempt';
  readonly worker: string;
  readonly workflowId: string;
  readonly activityType: string;
  readonly attempt: number;
  /** From the attempt's start at the worker (before the plugin's interceptor) to the activity function. */
  readonly recallMs: number;
}

/** The first attempt of `charge` fails (retryable) for every 4th order. */
export function chargeFails(orderId: number, attempt: number): boolean {
  return orderId % 4 === 0 && attempt === 1;
}

/** `ship` fails for good for orders 9, 19, 29, ...: those runs fail. */
export function shipFails(orderId: number): boolean {
  return orderId % 10 === 9;
}

/** The activity attempts of an order, as `a<activityId>:<attempt>` (the end of their outcome topics). */
export function expectedAttempts(orderId: number): string[] {
  return ['a1:1', 'a2:1', ...(chargeFails(orderId, 1) ? ['a2:2'] : []), 'a3:1'];
}
