// What the simulated world does: every activity fails now and then, and four failures keep
// happening for a reason the memory can learn. Which attempts fall inside one of them is known here,
// so the demo can score the memory's risk against the truth.
import { seededRandom, type SimulatedOrder } from './simulation-plan';

/** The worker build that makes shipping fail more. */
export const REGRESSED_BUILD = '2026.11.3';
/** The build before it. */
export const PREVIOUS_BUILD = '2026.11.2';
/** Customers whose addresses keep needing a person's look. */
export const RECURRING_CUSTOMERS: ReadonlySet<string> = new Set(['C7', 'C13', 'C21']);

/** How often any attempt fails for no reason the memory could know. */
const BACKGROUND_RATE = 0.02;

/** An injected failure pattern, with how often it makes an attempt fail. */
export interface InjectedPattern {
  readonly name: string;
  readonly rate: number;
}

/** The pattern an attempt of `activityType` for `order` on `build` falls inside, if any. */
export function injectedPattern(
  activityType: string,
  order: SimulatedOrder,
  build: string,
): InjectedPattern | undefined {
  const placed = new Date(order.placedAt);
  const day = placed.getUTCDay(); // 0 is Sunday
  const hour = placed.getUTCHours();
  if (activityType === 'chargePayment' && day === 2 && hour === 15)
    return { name: 'payment provider down on Tuesdays 15:00-16:00 UTC', rate: 0.8 };
  if (activityType === 'reserveInventory' && day >= 1 && day <= 5 && hour === 12)
    return { name: 'inventory service timing out at the weekday lunch peak', rate: 0.7 };
  if (activityType === 'verifyAddress' && RECURRING_CUSTOMERS.has(order.customerId))
    return { name: 'customers whose addresses keep failing verification', rate: 0.7 };
  if (activityType === 'shipOrder' && build === REGRESSED_BUILD)
    return { name: `build ${REGRESSED_BUILD} breaking shipping`, rate: 0.4 };
  return undefined;
}

/**
 * Whether this attempt fails: drawn from a random source seeded by the simulation's seed, the order,
 * the activity and the attempt, so both simulations draw the same luck for the same attempt.
 * Handling that avoids the pattern (`avoided`) leaves only the background rate.
 */
export function attemptFails(
  seed: number,
  order: SimulatedOrder,
  activityType: string,
  attempt: number,
  pattern: InjectedPattern | undefined,
  avoided: boolean,
): boolean {
  const rate = pattern && !avoided ? pattern.rate : BACKGROUND_RATE;
  return seededRandom(hashOf(`${seed}/${order.serial}/${activityType}/${attempt}`))() < rate;
}

/** A 32-bit FNV-1a hash of a string. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
