// The orders of a simulated stretch of business: seeded, so the run with memory and the run without
// it face the same orders and the same bad luck.

/** The sizes and seed of a simulation (all flags of the demo). */
export interface SimulationOptions {
  readonly seed: number;
  /** Weeks of business time simulated. */
  readonly weeks: number;
  /** Orders placed per hour, on average, around the clock. */
  readonly ordersPerHour: number;
  /** Customers placing them. */
  readonly customers: number;
  /** Weeks before precision and recall are counted: the memory has to see a pattern before it can know it. */
  readonly warmUpWeeks: number;
  /** When the new worker build takes over, in weeks from the start (fractions allowed). */
  readonly newBuildAtWeek: number;
}

/** The demo's defaults: sized to run both simulations in under 3 minutes on 2 cores. */
export const DEFAULT_SIMULATION: SimulationOptions = {
  seed: 7,
  weeks: 6,
  ordersPerHour: 1.5,
  customers: 200,
  warmUpWeeks: 3,
  newBuildAtWeek: 4.5,
};

/** One simulated order. */
export interface SimulatedOrder {
  readonly orderId: string;
  /** Its place in the plan: the same order in both simulations. */
  readonly serial: number;
  readonly customerId: string;
  /** When the customer placed it (business time, ISO 8601): the rules' event time. */
  readonly placedAt: string;
  readonly amountCents: number;
  readonly items: readonly string[];
}

/** Monday 7 September 2026, 00:00 UTC: where simulated business time starts. */
export const SIMULATION_START_MS = Date.UTC(2026, 8, 7);
const HOUR_MS = 3_600_000;

/** A seeded random source (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The orders of a simulation, in the order they were placed. */
export function planOrders(options: SimulationOptions, runLabel: string): SimulatedOrder[] {
  const random = seededRandom(options.seed);
  const orders: SimulatedOrder[] = [];
  for (let hour = 0; hour < options.weeks * 168; hour++) {
    const count = Math.floor(options.ordersPerHour) + (random() < options.ordersPerHour % 1 ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const placedAtMs = SIMULATION_START_MS + hour * HOUR_MS + Math.floor(random() * HOUR_MS);
      orders.push({
        orderId: `${runLabel}-${orders.length + 1}`,
        serial: orders.length + 1,
        customerId: `C${1 + Math.floor(random() * options.customers)}`,
        placedAt: new Date(placedAtMs).toISOString(),
        amountCents: 500 + Math.floor(random() * 20_000),
        items: ['book'],
      });
    }
  }
  return orders.sort((a, b) => a.placedAt.localeCompare(b.placedAt));
}

/** The week of business time an instant falls in, from the start of the simulation (fractional). */
export function weekOf(isoTime: string): number {
  return (Date.parse(isoTime) - SIMULATION_START_MS) / (168 * HOUR_MS);
}
