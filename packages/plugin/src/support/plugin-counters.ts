import type { MetricCounter, MetricGauge, MetricMeter } from '@temporalio/common';
import type { Logger } from 'pino';

/** Counters of what the plugin did and what it had to give up; read them with `StompyPlugin.counters()`. */
export interface PluginCounterValues {
  /** Outcomes accepted into the outbox. */
  readonly outcomesQueued: number;
  /** Outcomes the memory server acknowledged. */
  readonly outcomesDelivered: number;
  /** Outcomes ignored because the same topic was already queued or delivered (duplicate reports). */
  readonly outcomesDeduplicated: number;
  /** Outcomes dropped: the outbox was full, or the server refused them for good. Always logged. */
  readonly outcomesDropped: number;
  /** Delivery attempts that failed and will be retried. */
  readonly deliveryRetries: number;
  /** Times the circuit breaker opened after repeated delivery failures. */
  readonly circuitOpened: number;
  /** Recalls answered within the budget. */
  readonly recallsServed: number;
  /** Recalls that ran out of budget; the activity ran with what the cache had. */
  readonly recallsOverBudget: number;
  /** Recalls that failed (server error or outage); the activity ran without fresh memory. */
  readonly recallsFailed: number;
  /**
   * Recalls that could not call the server for a stale key: recall was at its share of
   * `memory.maxCallsPerMinute`, or the server refused for its rate limit (HTTP 429, as hosted Stompy
   * answers); the activity ran with cached memory.
   */
  readonly recallsRateLimited: number;
  /**
   * Digests recall left out because they cannot be read (against a server without insights, each
   * worker writes per-key digests; one edited by hand is skipped, never trusted). Always logged.
   */
  readonly digestsUnreadable: number;
  /** Tag rules that threw or returned something unusable; the activity ran as usual. */
  readonly ruleErrors: number;
  /** Plugin errors caught before they could reach user code (every one is also logged). */
  readonly internalErrors: number;
  /**
   * Times calls moved to another memory server because the one in use failed (several `memory.url`s).
   * Always logged (a warning, at most one line per 10 s, with how many it stands for).
   */
  readonly memoryFailovers: number;
}

/**
 * Gauges of the plugin, set from the backlog the memory thread reports every 10 s while delivery runs:
 * `stompy_outbox_pending` (outcomes waiting in the outbox) and `stompy_outbox_drain_seconds` (the
 * estimated time to deliver them; -1 when outcomes are pending and none was delivered in the last 5
 * minutes: the outbox is not draining).
 */
export type PluginGauge = 'outboxPending' | 'outboxDrainSeconds';

/** The counters as the plugin keeps them (what callers get is read-only). */
export type CounterCounts = { -readonly [Name in keyof PluginCounterValues]: number };

/** Where counters are mirrored as metrics: Temporal's metric meter, resolved when first needed. */
export interface CounterMetrics {
  /** The meter to create counters on (`Runtime.instance().metricMeter` in a worker). */
  meter(): MetricMeter;
  readonly logger: Logger;
}

/** Prefix of every metric the plugin emits (the runtime's `metricPrefix` applies to the SDK's own metrics only). */
export const METRIC_PREFIX = 'stompy_';

/**
 * Mutable counters shared by the plugin's parts. Plain numbers: cheap enough for the hot path. With
 * `metrics`, each add is also added to a counter of Temporal's metric meter (`stompy_outcomes_queued`,
 * ...), so the runtime's Prometheus or OpenTelemetry exporter publishes them beside the SDK's own
 * metrics. Metrics never break counting: a meter that fails is logged once and left alone.
 */
export class PluginCounters {
  private readonly values: CounterCounts = {
    outcomesQueued: 0,
    outcomesDelivered: 0,
    outcomesDeduplicated: 0,
    outcomesDropped: 0,
    deliveryRetries: 0,
    circuitOpened: 0,
    recallsServed: 0,
    recallsOverBudget: 0,
    recallsFailed: 0,
    recallsRateLimited: 0,
    digestsUnreadable: 0,
    ruleErrors: 0,
    internalErrors: 0,
    memoryFailovers: 0,
  };
  private readonly metricCounters = new Map<keyof PluginCounterValues, MetricCounter>();
  private readonly metricGauges = new Map<PluginGauge, MetricGauge>();
  private metricsFailed = false;

  constructor(private readonly metrics?: CounterMetrics) {}

  /** Adds `by` (default 1) to a counter. */
  add(name: keyof PluginCounterValues, by = 1): void {
    this.values[name] += by;
    if (this.metrics && !this.metricsFailed) this.addToMetric(this.metrics, name, by);
  }

  /** Sets a gauge of Temporal's metric meter (nothing without `metrics`); never throws. */
  setGauge(name: PluginGauge, value: number): void {
    const metrics = this.metrics;
    if (!metrics || this.metricsFailed || !Number.isFinite(value)) return;
    this.emit(metrics, name, () => {
      let gauge = this.metricGauges.get(name);
      if (!gauge) {
        const { type, unit, description } = GAUGES[name];
        gauge = metrics.meter().createGauge(metricName(name), type, unit, description);
        this.metricGauges.set(name, gauge);
      }
      gauge.set(value);
    });
  }

  /** A copy of the current values. */
  snapshot(): PluginCounterValues {
    return { ...this.values };
  }

  private addToMetric(metrics: CounterMetrics, name: keyof PluginCounterValues, by: number): void {
    this.emit(metrics, name, () => {
      let counter = this.metricCounters.get(name);
      if (!counter) {
        counter = metrics.meter().createCounter(metricName(name), '1', COUNTER_DESCRIPTIONS[name]);
        this.metricCounters.set(name, counter);
      }
      counter.add(by);
    });
  }

  /** Runs one metric update; the first that fails switches metrics off, logged once. */
  private emit(metrics: CounterMetrics, name: string, update: () => void): void {
    try {
      update();
    } catch (error) {
      this.metricsFailed = true;
      metrics.logger.warn(
        { err: error, counter: name },
        'could not emit a metric; counters are still kept (StompyPlugin.counters()), metrics are off',
      );
    }
  }
}

/** `outcomesQueued` -> `stompy_outcomes_queued`. */
export function metricName(counter: keyof PluginCounterValues | PluginGauge): string {
  return METRIC_PREFIX + counter.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** One line per counter, published as the metric's description. */
const COUNTER_DESCRIPTIONS: Record<keyof PluginCounterValues, string> = {
  outcomesQueued: 'Outcomes accepted into the outbox',
  outcomesDelivered: 'Outcomes the memory server acknowledged',
  outcomesDeduplicated: 'Outcomes ignored because the same topic was already queued or delivered',
  outcomesDropped: 'Outcomes dropped: the outbox was full, or the server refused them for good',
  deliveryRetries: 'Delivery attempts that failed and will be retried',
  circuitOpened: 'Times the delivery circuit breaker opened',
  recallsServed: 'Recalls answered within the budget',
  recallsOverBudget: 'Recalls that ran out of budget',
  recallsFailed: 'Recalls that failed',
  recallsRateLimited: 'Recalls that skipped the server at their share of memory.maxCallsPerMinute',
  digestsUnreadable: 'Digests recall left out because they could not be read',
  ruleErrors: 'Tag rules that threw or returned something unusable',
  internalErrors: 'Plugin errors caught before they could reach user code',
  memoryFailovers: 'Times calls moved to another memory server because the one in use failed',
};

/** How each gauge is published. */
const GAUGES: Record<PluginGauge, { type: 'int' | 'float'; unit: string; description: string }> = {
  outboxPending: { type: 'int', unit: '1', description: 'Outcomes waiting in the outbox to be delivered' },
  outboxDrainSeconds: {
    type: 'float',
    unit: 's',
    description: 'Estimated time to deliver the pending outcomes; -1: pending but not draining',
  },
};
