import type { Logger } from 'pino';
import { TIMED_OUT, withDeadline } from '../../support/deadline';
import { errorMessage } from '../../support/error-message';
import type { PluginCounters } from '../../support/plugin-counters';
import { TokenBucket } from '../../support/token-bucket';
import { AnswerFiling } from './answer-filing';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';
import { deliveryBacklog, unknownBacklog, type DeliveryBacklog } from './delivery-backlog';
import { awaitedTimers, systemClock, type DeliveryClock } from './delivery-clock';
import {
  deliverySettings,
  type DeliveryOutbox,
  type DeliverySettings,
  type FlushResult,
  type OutboxDeliveryOptions,
} from './delivery-settings';
import { DeliveryPace } from './delivery-pace';
import { OutboxSender } from './outbox-sender';
import type { StepResult } from './sender-deps';

/**
 * Delivers the outbox to the memory server in the background: a loop that wakes when outcomes are
 * recorded (debounced, so a burst goes in one batch), when a backoff, a rate limit or a cool-down
 * ends, and every `idlePollMs` for other processes' entries. Each wake-up runs steps of
 * {@link OutboxSender} (one call each) until nothing is due; a token bucket caps the calls, a circuit
 * breaker stops them during an outage, every call has a timeout, and a flush (worker shutdown) is
 * bounded in time.
 *
 * Nothing here throws into the caller: every failure is logged (pino) and counted.
 */
export class OutboxDelivery {
  private readonly outbox: DeliveryOutbox;
  private readonly logger: Logger;
  private readonly counters: Pick<PluginCounters, 'add'>;
  private readonly clock: DeliveryClock;
  private readonly settings: DeliverySettings;
  private readonly circuit: CircuitBreaker;
  private readonly filing: AnswerFiling;
  private readonly sender: OutboxSender;
  private readonly pace: DeliveryPace;

  private state: 'new' | 'running' | 'stopped' = 'new';
  /** The one drain running (background or flush); it never rejects. */
  private active: Promise<void> | undefined;
  /** A kick came while a drain was running. */
  private again = false;
  private timer: unknown;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly sleepers = new Set<() => void>();

  constructor(options: OutboxDeliveryOptions) {
    this.outbox = options.outbox;
    this.logger = options.logger;
    this.counters = options.counters;
    this.clock = options.clock ?? systemClock;
    this.settings = deliverySettings(options);
    this.pace = new DeliveryPace(this.settings.kickDebounceMs, this.settings.busyDebounceMs);
    this.circuit = new CircuitBreaker(this.settings.circuitFailureThreshold, this.settings.circuitCoolDownMs);
    const bucket =
      options.calls ??
      new TokenBucket(this.settings.maxCallsPerMinute, this.settings.rateLimitBurst, this.clock.now());
    const shared = {
      outbox: this.outbox,
      logger: this.logger,
      clock: this.clock,
      settings: this.settings,
      circuit: this.circuit,
      bucket,
    };
    this.filing = new AnswerFiling({
      ...shared,
      counters: this.counters,
      random: options.random ?? Math.random,
    });
    this.sender = new OutboxSender({
      ...shared,
      client: options.client,
      counters: this.counters,
      filing: this.filing,
      stopped: () => this.state === 'stopped',
      internalError: (error) => this.internalError(error, 'calling the memory server'),
    });
  }

  /** Starts the background loop (idempotent); it first delivers what an earlier run left in the outbox. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'running';
    this.guard('start', () => this.schedule(0));
  }

  /** Wakes the loop soon (debounced, so a burst of outcomes goes in one batch); call after enqueue. Never throws. */
  kick(): void {
    if (this.state !== 'running') return;
    this.guard('kick', () => {
      if (this.active) {
        this.again = true;
        return;
      }
      this.schedule(this.debounceMs());
    });
  }

  /**
   * Delivers what it can within `timeoutMs` (worker shutdown) and returns by then even when the
   * server hangs; what is left stays in the outbox for the next start. A non-finite timeout counts
   * as 0 (a flush never waits without a bound). Honours backoff, the rate limit and an open circuit:
   * it waits for what becomes possible before the deadline, not for what does not. Never rejects.
   */
  async flush(timeoutMs: number): Promise<FlushResult> {
    const before = this.filing.delivered;
    if (this.state !== 'stopped') {
      const deadline = this.clock.now() + Math.max(0, Number.isFinite(timeoutMs) ? timeoutMs : 0);
      const work = this.flushUntil(deadline).catch((error: unknown) => this.internalError(error, 'flush'));
      const finished = await withDeadline(work, deadline - this.clock.now(), awaitedTimers(this.clock));
      if (finished === TIMED_OUT)
        this.logger.warn({ timeoutMs }, 'flush ran out of time; the rest stays in the outbox');
    }
    let remaining = 0;
    try {
      remaining = this.outbox.pendingCount();
    } catch (error) {
      this.internalError(error, 'counting pending outcomes');
    }
    return { delivered: this.filing.delivered - before, remaining };
  }

  /**
   * Stops the loop. Waits for the call in flight (at most the call timeout) so its result is
   * recorded; close the outbox after this. Never rejects.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.cancelTimer();
    for (const wake of [...this.sleepers]) wake();
    const active = this.active;
    if (active) await withDeadline(active, this.settings.callTimeoutMs + 1_000, awaitedTimers(this.clock));
  }

  /** The circuit breaker's state. */
  circuitState(): CircuitState {
    return this.circuit.state;
  }

  /**
   * What waits in the outbox and how fast it leaves (see {@link DeliveryBacklog}); `estimatedDrainMs`
   * is undefined when outcomes are pending and none was delivered in the last 5 minutes: the outbox
   * is not draining. Never throws: an outbox that cannot be read gives `known: false` (logged, counted).
   */
  backlog(): DeliveryBacklog {
    try {
      const now = this.clock.now();
      return deliveryBacklog(
        this.outbox.backlog(),
        this.filing.rate.perMinute(),
        this.circuit.state,
        now,
        this.outbox.aggregates.digestCounts(),
      );
    } catch (error) {
      this.internalError(error, 'reading the backlog');
      return unknownBacklog(`the outbox could not be read: ${errorMessage(error)}`);
    }
  }

  private schedule(ms: number): void {
    if (this.state !== 'running') return;
    const delay = Math.max(0, Math.min(ms, 2 ** 31 - 1));
    const at = this.clock.now() + delay;
    if (this.timer !== undefined) {
      if (this.timerAt <= at) return;
      this.clock.clearTimeout(this.timer);
    }
    this.timerAt = at;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.runInBackground();
      },
      delay,
      false,
    );
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private runInBackground(): void {
    if (this.state !== 'running') return;
    if (this.active) {
      this.again = true;
      return;
    }
    this.again = false;
    this.active = this.drain(Number.POSITIVE_INFINITY)
      .catch((error: unknown): StepResult => {
        this.internalError(error, 'delivery loop');
        return { kind: 'blocked', waitMs: this.settings.idlePollMs };
      })
      .then((next) => {
        this.active = undefined;
        this.guard('scheduling', () => this.scheduleAfter(next));
      });
  }

  private scheduleAfter(next: StepResult): void {
    const again = this.again;
    this.again = false;
    if (next.kind === 'blocked') this.schedule(next.waitMs);
    else if (again) this.schedule(this.debounceMs());
    else this.schedule(next.kind === 'idle' ? Math.min(next.waitMs, this.settings.idlePollMs) : 0);
  }

  private async flushUntil(deadline: number): Promise<void> {
    this.cancelTimer();
    while (this.active) await this.active;
    const own = (async () => {
      for (;;) {
        const next = await this.drain(deadline);
        const now = this.clock.now();
        // Wait for what becomes possible before the deadline (a token, a retry-after, an entry's
        // backoff, a cool-down); give up on what does not.
        if (next.kind === 'progress' || this.state === 'stopped' || now + next.waitMs >= deadline) return;
        await this.sleep(next.waitMs);
      }
    })();
    this.active = own.then(
      () => undefined,
      () => undefined,
    );
    try {
      await own;
    } finally {
      this.active = undefined;
      if (this.state === 'running')
        this.guard('scheduling', () =>
          this.schedule(this.again ? this.pace.debounceMs(this.clock.now()) : 0),
        );
      this.again = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        this.sleepers.delete(wake);
        this.clock.clearTimeout(handle);
        resolve();
      };
      const handle = this.clock.setTimeout(wake, Math.max(0, ms), true);
      this.sleepers.add(wake);
    });
  }

  /** Runs steps until nothing is due, delivery must wait, the deadline passes or the loop stops. */
  private async drain(deadline: number): Promise<StepResult> {
    for (;;) {
      if (this.state === 'stopped') return { kind: 'idle', waitMs: Number.POSITIVE_INFINITY };
      if (this.clock.now() >= deadline) return { kind: 'blocked', waitMs: 0 };
      const result = await this.sender.step(deadline);
      if (result.kind !== 'progress') return result;
      this.pace.called(this.clock.now());
      // Let timers and I/O of the worker run between calls, even when the server answers in-process.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** How long a kick waits now: the pace's debounce, or longer while refusals or a cool-down block calls. */
  private debounceMs(): number {
    const now = this.clock.now();
    return Math.max(this.pace.debounceMs(now), this.filing.blockedForMs(now));
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.internalError(error, what);
    }
  }

  private internalError(error: unknown, what: string): void {
    this.counters.add('internalErrors');
    this.logger.error({ err: error }, `unexpected error in ${what}; outcomes stay in the outbox`);
  }
}
