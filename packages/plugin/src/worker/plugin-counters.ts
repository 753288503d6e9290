/** Counters of what the plugin did and what it had to give up; read them with `StompyPlugin.counters()`. */
export interface PluginCounterValues {
  /** Outcomes accepted into the outbox. */
  outcomesQueued: number;
  /** Outcomes the memory server acknowledged. */
  outcomesDelivered: number;
  /** Outcomes ignored because the same topic was already queued or delivered (duplicate reports). */
  outcomesDeduplicated: number;
  /** Outcomes dropped: the outbox was full, or the server refused them for good. Always logged. */
  outcomesDropped: number;
  /** Delivery attempts that failed and will be retried. */
  deliveryRetries: number;
  /** Times the circuit breaker opened after repeated delivery failures. */
  circuitOpened: number;
  /** Recalls answered within the budget. */
  recallsServed: number;
  /** Recalls that ran out of budget; the activity ran with what the cache had. */
  recallsOverBudget: number;
  /** Recalls that failed (server error or outage); the activity ran without fresh memory. */
  recallsFailed: number;
  /** Tag rules that threw or returned something unusable; the activity ran as usual. */
  ruleErrors: number;
  /** Plugin errors caught before they could reach user code (every one is also logged). */
  internalErrors: number;
}

/** Mutable counters shared by the plugin's parts. Plain numbers: cheap enough for the hot path. */
export class PluginCounters {
  private readonly values: PluginCounterValues = {
    outcomesQueued: 0,
    outcomesDelivered: 0,
    outcomesDeduplicated: 0,
    outcomesDropped: 0,
    deliveryRetries: 0,
    circuitOpened: 0,
    recallsServed: 0,
    recallsOverBudget: 0,
    recallsFailed: 0,
    ruleErrors: 0,
    internalErrors: 0,
  };

  /** Adds `by` (default 1) to a counter. */
  add(name: keyof PluginCounterValues, by = 1): void {
    this.values[name] += by;
  }

  /** A copy of the current values. */
  snapshot(): PluginCounterValues {
    return { ...this.values };
  }
}
