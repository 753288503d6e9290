import type { Logger } from 'pino';
import type { StompyClient } from '../memory/stompy-client';
import { StompyToolError, StompyUnavailableError } from '../memory/stompy-errors';
import type { ClaimedEntry, OutcomeOutbox } from './outbox';
import type { PluginCounters } from './plugin-counters';
import { TokenBucket } from './token-bucket';

/** Time and timers, injectable for tests. */
export interface DeliveryClock {
  now(): number;
  /**
   * `keepAlive`: the timer belongs to something a caller awaits (flush, stop) and must keep the
   * process alive until it fires; background timers must not.
   */
  setTimeout(callback: () => void, ms: number, keepAlive: boolean): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock; background timers are `unref`ed so delivery never keeps a process alive by itself. */
export const systemClock: DeliveryClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms, keepAlive) => {
    const timer = setTimeout(callback, ms);
    if (!keepAlive) timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The parts of {@link StompyClient} delivery uses. */
export type DeliveryClient = Pick<
  StompyClient,
  'lockContext' | 'lockContextBatch' | 'supportsBatchWrites' | 'recallBatch'
>;

/** The parts of {@link OutcomeOutbox} delivery uses. */
export type DeliveryOutbox = Pick<
  OutcomeOutbox,
  | 'claim'
  | 'markDelivered'
  | 'markFailed'
  | 'release'
  | 'drop'
  | 'releaseBackoff'
  | 'nextDueAt'
  | 'pendingCount'
>;

/** Options of {@link OutboxDelivery}. */
export interface OutboxDeliveryOptions {
  outbox: DeliveryOutbox;
  client: DeliveryClient;
  logger: Logger;
  counters: Pick<PluginCounters, 'add'>;
  /** Most writes per batch call (when the server offers the batch tool); default 50. */
  batchSize?: number;
  /**
   * Client-side rate limit, in tool calls per minute (a batch call is one call); default unlimited
   * (the embedded server). Hosted Stompy's free plan allows 60.
   */
  maxCallsPerMinute?: number;
  /** Calls that may go at once after a quiet period, within the rate limit; default 1 (no burst). */
  rateLimitBurst?: number;
  /** Timeout of every call to the memory server, in ms; default 10 s. */
  callTimeoutMs?: number;
  /** How long a claim keeps other deliverers off an entry, in ms; default twice the call timeout plus 5 s. */
  leaseMs?: number;
  /** First retry delay cap of an entry, in ms; doubles per attempt up to `backoffMaxMs` (full jitter); default 1 s. */
  backoffInitialMs?: number;
  /** Largest retry delay cap, in ms; default 5 min. */
  backoffMaxMs?: number;
  /** Consecutive "unavailable" calls (outage, timeout) that open the circuit; default 5. */
  circuitFailureThreshold?: number;
  /** How long an open circuit stops all calls before one probe, in ms; default 30 s. */
  circuitCoolDownMs?: number;
  /**
   * Attempts of an entry the server refused without saying why (no error code, `internal_error`, or
   * an unreadable answer) before it goes to the dead letters; default 10. Bad input goes at once; outages and
   * rate limits are retried without limit (the outbox is bounded).
   */
  maxUnclearAttempts?: number;
  /** A {@link OutboxDelivery.kick} waits this long for more work to join the batch, in ms; default 5. */
  kickDebounceMs?: number;
  /** With nothing to do, look at the outbox again after this long (other processes' entries, expired leases), in ms; default 5 s. */
  idlePollMs?: number;
  clock?: DeliveryClock;
  /** Random numbers in [0, 1) for the jitter; default `Math.random`. */
  random?: () => number;
}

/** What {@link OutboxDelivery.flush} achieved. */
export interface FlushResult {
  /** Writes delivered while the flush ran. */
  delivered: number;
  /** Entries still pending in the outbox (they are delivered after the next start). */
  remaining: number;
}

/** The circuit breaker's state: `half-open` lets one probe through after the cool-down. */
export type CircuitState = 'closed' | 'open' | 'half-open';

type StepResult =
  | { kind: 'progress' }
  /** Nothing due; something may become due in `waitMs`. */
  | { kind: 'idle'; waitMs: number }
  /** Work is due but must wait `waitMs` (circuit open, rate limit, server's retry-after). */
  | { kind: 'blocked'; waitMs: number };

const PROGRESS: StepResult = { kind: 'progress' };
/** `recall_batch` answers at most this many topics per call. */
const VERIFY_LIMIT = 50;
/** Codes meaning "the server may have stored it but its answer could not be read". */
const UNREADABLE_ANSWER = new Set(['malformed_result', 'missing_result']);
/**
 * Refusals that say the entry itself is wrong: sending it again cannot help, so it is dead-lettered at
 * once. Any other refusal (no code, `internal_error`, or a code this plugin does not know, such as a
 * quota or maintenance code of a newer server) is retried a bounded number of times: a code we do not
 * know must not dead-letter a whole backlog in one pass.
 */
const PERMANENT_REFUSAL = new Set([
  'invalid_input',
  'invalid_params',
  'payload_too_large',
  'content_too_large',
]);
/** Hosted Stompy refuses a version too close to the latest one: for our write-once topics, it is already stored. */
const ALREADY_STORED = 'insufficient_novelty';

/**
 * Delivers the outbox to the memory server in the background: batches with `lock_context_batch`
 * when the server offers it (asked once per connection, asked again after a connection failure),
 * else one `lock_context` per entry; a token-bucket rate limit; per-entry exponential backoff with
 * full jitter (honouring the server's `retry_after`); a circuit breaker; a timeout on every call.
 *
 * An entry whose earlier attempt got no answer is first looked up with `recall_batch`, so a write
 * that reached the server before a timeout is not stored twice. Entries the server refuses for
 * good (bad input) go to the outbox's dead letters at once; nothing is retried forever except
 * across outages and rate limits, where the bounded outbox holds the backlog.
 *
 * Nothing here throws into the caller: every failure is logged (pino) and counted.
 */
export class OutboxDelivery {
  private readonly outbox: DeliveryOutbox;
  private readonly client: DeliveryClient;
  private readonly logger: Logger;
  private readonly counters: Pick<PluginCounters, 'add'>;
  private readonly clock: DeliveryClock;
  private readonly random: () => number;
  private readonly batchSize: number;
  private readonly callTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly circuitFailureThreshold: number;
  private readonly circuitCoolDownMs: number;
  private readonly maxUnclearAttempts: number;
  private readonly kickDebounceMs: number;
  private readonly idlePollMs: number;
  private readonly bucket: TokenBucket;

  private state: 'new' | 'running' | 'stopped' = 'new';
  /** The one drain running (background or flush); it never rejects. */
  private active: Promise<void> | undefined;
  /** A kick came while a drain was running. */
  private again = false;
  private timer: unknown;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly sleepers = new Set<() => void>();

  /** Whether the server offers the batch tool; undefined until asked on this connection. */
  private batchSupported: boolean | undefined;
  /** Send this many entries one by one (after the server refused a whole batch, to find the bad entry). */
  private isolate = 0;
  private circuit: CircuitState = 'closed';
  private circuitOpenUntil = 0;
  private consecutiveUnavailable = 0;
  private consecutiveRateLimited = 0;
  /** No call before this time (the server's retry-after, or a failure with no entry to carry the backoff). */
  private pausedUntil = 0;
  private delivered = 0;

  constructor(options: OutboxDeliveryOptions) {
    this.outbox = options.outbox;
    this.client = options.client;
    this.logger = options.logger;
    this.counters = options.counters;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.batchSize = Math.floor(positive('batchSize', options.batchSize, 50));
    this.callTimeoutMs = positive('callTimeoutMs', options.callTimeoutMs, 10_000);
    this.leaseMs = positive('leaseMs', options.leaseMs, 2 * this.callTimeoutMs + 5_000);
    if (this.leaseMs <= this.callTimeoutMs) {
      throw new TypeError(
        `OutboxDelivery: leaseMs (${this.leaseMs}) must be longer than callTimeoutMs (${this.callTimeoutMs})`,
      );
    }
    this.backoffInitialMs = positive('backoffInitialMs', options.backoffInitialMs, 1_000);
    this.backoffMaxMs = Math.max(
      this.backoffInitialMs,
      positive('backoffMaxMs', options.backoffMaxMs, 300_000),
    );
    this.circuitFailureThreshold = Math.floor(
      positive('circuitFailureThreshold', options.circuitFailureThreshold, 5),
    );
    this.circuitCoolDownMs = positive('circuitCoolDownMs', options.circuitCoolDownMs, 30_000);
    this.maxUnclearAttempts = Math.floor(positive('maxUnclearAttempts', options.maxUnclearAttempts, 10));
    this.kickDebounceMs = nonNegative('kickDebounceMs', options.kickDebounceMs, 5);
    this.idlePollMs = positive('idlePollMs', options.idlePollMs, 5_000);
    const perMinute = options.maxCallsPerMinute ?? Number.POSITIVE_INFINITY;
    if (!(perMinute > 0))
      throw new TypeError(`OutboxDelivery: maxCallsPerMinute must be positive, got ${perMinute}`);
    this.bucket = new TokenBucket(
      perMinute,
      positive('rateLimitBurst', options.rateLimitBurst, 1),
      this.clock.now(),
    );
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
      this.schedule(Math.max(this.kickDebounceMs, this.blockedForMs(this.clock.now())));
    });
  }

  /**
   * Delivers what it can within `timeoutMs` (worker shutdown) and returns by then even when the
   * server hangs; what is left stays in the outbox for the next start. A non-finite timeout counts
   * as 0 (a flush never waits without a bound). Honours backoff, the rate limit and an open circuit:
   * it waits for what becomes possible before the deadline, not for what does not. Never rejects.
   */
  async flush(timeoutMs: number): Promise<FlushResult> {
    const before = this.delivered;
    if (this.state !== 'stopped') {
      const deadline = this.clock.now() + Math.max(0, Number.isFinite(timeoutMs) ? timeoutMs : 0);
      const work = this.flushUntil(deadline).catch((error: unknown) => this.internalError(error, 'flush'));
      const finished = await this.within(work, deadline - this.clock.now());
      if (!finished)
        this.logger.warn(
          { timeoutMs },
          'stompy delivery: flush ran out of time; the rest stays in the outbox',
        );
    }
    let remaining = 0;
    try {
      remaining = this.outbox.pendingCount();
    } catch (error) {
      this.internalError(error, 'counting pending outcomes');
    }
    return { delivered: this.delivered - before, remaining };
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
    if (active) await this.within(active, this.callTimeoutMs + 1_000);
  }

  /** The circuit breaker's state. */
  circuitState(): CircuitState {
    return this.circuit;
  }

  // ---- scheduling ---------------------------------------------------------------------------

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
        return { kind: 'blocked', waitMs: this.idlePollMs };
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
    else if (again) this.schedule(Math.max(this.kickDebounceMs, this.blockedForMs(this.clock.now())));
    else this.schedule(next.kind === 'idle' ? Math.min(next.waitMs, this.idlePollMs) : 0);
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
        this.guard('scheduling', () => this.schedule(this.again ? this.kickDebounceMs : 0));
      this.again = false;
    }
  }

  /** Resolves true when `work` settles within `ms`, false otherwise (the work goes on). */
  private async within(work: Promise<unknown>, ms: number): Promise<boolean> {
    let handle: unknown;
    const timeout = new Promise<boolean>((resolve) => {
      handle = this.clock.setTimeout(() => resolve(false), Math.max(0, ms), true);
    });
    try {
      return await Promise.race([work.then(() => true), timeout]);
    } finally {
      this.clock.clearTimeout(handle);
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

  private blockedForMs(now: number): number {
    const until = Math.max(this.pausedUntil, this.circuit === 'open' ? this.circuitOpenUntil : 0);
    return Math.max(0, until - now, this.bucket.waitMs(now));
  }

  // ---- delivery -----------------------------------------------------------------------------

  /** Runs steps until nothing is due, delivery must wait, the deadline passes or the loop stops. */
  private async drain(deadline: number): Promise<StepResult> {
    for (;;) {
      if (this.state === 'stopped') return { kind: 'idle', waitMs: Number.POSITIVE_INFINITY };
      const now = this.clock.now();
      if (now >= deadline) return { kind: 'blocked', waitMs: 0 };
      const result = await this.step(deadline);
      if (result.kind !== 'progress') return result;
      // Let timers and I/O of the worker run between calls, even when the server answers in-process.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** One call to the server, or the reason why none can be made now. */
  private async step(deadline: number): Promise<StepResult> {
    const now = this.clock.now();
    if (this.circuit === 'open') {
      if (now < this.circuitOpenUntil) return { kind: 'blocked', waitMs: this.circuitOpenUntil - now };
      // Entries backed off during the outage become due: the probe takes one, and if it goes
      // through the rest follow at once instead of each waiting out its own backoff.
      this.circuit = 'half-open';
      const released = this.outbox.releaseBackoff();
      this.logger.info(
        { released },
        'stompy delivery: circuit half-open, probing the memory server with one write',
      );
    }
    if (now < this.pausedUntil) return { kind: 'blocked', waitMs: this.pausedUntil - now };
    const tokenWait = this.bucket.waitMs(now);
    if (tokenWait > 0) return { kind: 'blocked', waitMs: tokenWait };

    const timeoutMs = Math.max(1, Math.min(this.callTimeoutMs, deadline - now));
    let batch: boolean;
    try {
      batch = await this.batchMode(timeoutMs);
    } catch (error) {
      if (!(error instanceof StompyUnavailableError)) throw error;
      this.onUnavailable(error, []);
      return PROGRESS;
    }
    if (this.state === 'stopped') return PROGRESS;

    const single = !batch || this.isolate > 0;
    const entries = this.outbox.claim(
      this.circuit === 'half-open' || single ? 1 : this.batchSize,
      this.leaseMs,
    );
    if (entries.length === 0) {
      const due = this.outbox.nextDueAt();
      // Nothing due later yet entries pending: one became due since the claim looked (nextDueAt only
      // sees what is due after now). Look again at once; "nothing to wait for" would end a flush early.
      if (due === undefined && this.outbox.pendingCount() > 0) return { kind: 'idle', waitMs: 1 };
      return {
        kind: 'idle',
        waitMs: due === undefined ? Number.POSITIVE_INFINITY : Math.max(1, due - this.clock.now()),
      };
    }
    this.bucket.take(this.clock.now());

    const unknown = entries.filter((e) => e.outcomeUnknown);
    if (unknown.length > 0) {
      const check = unknown.slice(0, VERIFY_LIMIT);
      const checked = new Set(check.map((e) => e.topic));
      this.outbox.release(entries.filter((e) => !checked.has(e.topic)).map((e) => e.topic));
      await this.verify(check, timeoutMs);
      return PROGRESS;
    }
    const first = entries[0];
    if (single && first) {
      if (this.isolate > 0) this.isolate -= 1;
      await this.sendOne(first, timeoutMs);
    } else {
      await this.sendBatch(entries, timeoutMs);
    }
    return PROGRESS;
  }

  private async batchMode(timeoutMs: number): Promise<boolean> {
    if (this.batchSupported === undefined) {
      const supported = await this.client.supportsBatchWrites(timeoutMs);
      // Not a proof of health (a server can list tools and still time out on writes): only an
      // answered write or recall closes the circuit.
      this.batchSupported = supported;
      this.logger.debug(
        { batch: supported },
        'stompy delivery: connected; batch writes %s',
        supported ? 'offered' : 'not offered',
      );
    }
    return this.batchSupported;
  }

  private async sendOne(entry: ClaimedEntry, timeoutMs: number): Promise<void> {
    try {
      await this.client.lockContext(entry.write, timeoutMs);
    } catch (error) {
      this.onCallError(error, [entry]);
      return;
    }
    this.onAnswer();
    this.onWritten([entry.topic]);
  }

  private async sendBatch(entries: ClaimedEntry[], timeoutMs: number): Promise<void> {
    let results: Awaited<ReturnType<DeliveryClient['lockContextBatch']>>;
    try {
      results = await this.client.lockContextBatch(
        entries.map((e) => e.write),
        timeoutMs,
      );
    } catch (error) {
      if (
        error instanceof StompyToolError &&
        !error.retryable &&
        error.code !== ALREADY_STORED &&
        // An unreadable answer may hide a stored batch: check each entry before writing it again.
        !UNREADABLE_ANSWER.has(error.code ?? '')
      ) {
        // The whole call was refused: the tool may be gone, or one bad entry failed the call's
        // validation. Ask for the tools again and send these one by one to find the bad entry.
        this.onAnswer();
        this.batchSupported = undefined;
        this.isolate = Math.max(this.isolate, entries.length);
        this.outbox.release(entries.map((e) => e.topic));
        this.logger.warn(
          { err: error, entries: entries.length },
          'stompy delivery: batch write refused; sending these one by one',
        );
        return;
      }
      this.onCallError(error, entries);
      return;
    }
    this.onAnswer();
    const written: string[] = [];
    const refused: [ClaimedEntry, StompyToolError][] = [];
    entries.forEach((entry, i) => {
      const result = results[i];
      if (result instanceof StompyToolError) refused.push([entry, result]);
      else if (result === undefined) {
        refused.push([
          entry,
          new StompyToolError('lock_context_batch', 'missing_result', `${entry.topic}: no result`, undefined),
        ]);
      } else written.push(entry.topic);
    });
    this.onWritten(written);
    this.onRefusals(refused);
  }

  /** Entries whose earlier attempt got no answer: those the server has are delivered, the rest are written again. */
  private async verify(entries: ClaimedEntry[], timeoutMs: number): Promise<void> {
    const topics = entries.map((e) => e.topic);
    let found: ReadonlyMap<string, unknown>;
    try {
      found = await this.client.recallBatch(topics, timeoutMs);
    } catch (error) {
      if (error instanceof StompyToolError && !error.retryable) {
        this.onAnswer();
        this.logger.warn(
          { err: error, entries: entries.length },
          'stompy delivery: cannot check whether unanswered writes arrived (recall_batch refused); writing them again',
        );
        this.outbox.release(topics, { verified: true });
        return;
      }
      this.onCallError(error, entries);
      return;
    }
    this.onAnswer();
    const stored = topics.filter((t) => found.has(t));
    const missing = topics.filter((t) => !found.has(t));
    this.onWritten(stored);
    this.outbox.release(missing, { verified: true });
    this.logger.debug(
      { stored: stored.length, missing: missing.length },
      'stompy delivery: checked unanswered writes',
    );
  }

  private onCallError(error: unknown, entries: ClaimedEntry[]): void {
    if (error instanceof StompyUnavailableError) {
      this.onUnavailable(error, entries);
    } else if (error instanceof StompyToolError) {
      this.onAnswer();
      this.onRefusals(entries.map((e): [ClaimedEntry, StompyToolError] => [e, error]));
    } else {
      // Not a failure the client knows: a bug. Count it, retry the entries later, and check first.
      this.internalError(error, 'calling the memory server');
      this.failAll(entries, error, true);
    }
  }

  private onWritten(topics: string[]): void {
    if (topics.length === 0) return;
    this.consecutiveRateLimited = 0;
    this.delivered += this.outbox.markDelivered(topics);
  }

  /** The server answered a write or a recall (even with a refusal): it is reachable, close the circuit. */
  private onAnswer(): void {
    this.consecutiveUnavailable = 0;
    if (this.circuit === 'closed') return;
    this.circuit = 'closed';
    this.logger.info(
      { pending: this.safePending() },
      'stompy delivery: memory server answers again; circuit closed, delivering the backlog',
    );
  }

  private onUnavailable(error: StompyUnavailableError, entries: ClaimedEntry[]): void {
    // A new connection may reach another server version: ask for its tools again.
    this.batchSupported = undefined;
    this.consecutiveUnavailable += 1;
    const now = this.clock.now();
    this.failAll(entries, error, true);
    if (entries.length === 0) this.pausedUntil = now + this.backoffDelay(this.consecutiveUnavailable);
    if (this.circuit === 'half-open') {
      this.circuit = 'open';
      this.circuitOpenUntil = now + this.circuitCoolDownMs;
      this.logger.debug(
        { err: error, coolDownMs: this.circuitCoolDownMs },
        'stompy delivery: probe failed; circuit open again',
      );
    } else if (this.consecutiveUnavailable >= this.circuitFailureThreshold) {
      this.circuit = 'open';
      this.circuitOpenUntil = now + this.circuitCoolDownMs;
      this.counters.add('circuitOpened');
      this.logger.warn(
        {
          err: error,
          failures: this.consecutiveUnavailable,
          coolDownMs: this.circuitCoolDownMs,
          pending: this.safePending(),
        },
        'stompy delivery: memory server unavailable; circuit open, outcomes wait in the outbox',
      );
    } else {
      this.logger.warn(
        { err: error, entries: entries.length, failures: this.consecutiveUnavailable },
        'stompy delivery: memory server unavailable; retrying with backoff',
      );
    }
  }

  /** Per-entry refusals from a server that answered. */
  private onRefusals(refusals: [ClaimedEntry, StompyToolError][]): void {
    if (refusals.length === 0) return;
    const now = this.clock.now();
    const alreadyStored: string[] = [];
    let rateLimit: StompyToolError | undefined;
    const rateLimited: ClaimedEntry[] = [];
    let unclear = 0;
    let sample: StompyToolError | undefined;
    for (const [entry, error] of refusals) {
      if (error.code === ALREADY_STORED) {
        alreadyStored.push(entry.topic);
      } else if (error.retryable) {
        rateLimited.push(entry);
        if (rateLimit === undefined || (error.retryAfterSeconds ?? 0) > (rateLimit.retryAfterSeconds ?? 0))
          rateLimit = error;
      } else if (error.code === undefined || !PERMANENT_REFUSAL.has(error.code)) {
        if (entry.attempt >= this.maxUnclearAttempts) {
          this.outbox.drop(entry.topic, `${describe(error)} (gave up after ${entry.attempt} attempts)`);
        } else {
          unclear += 1;
          sample = error;
          this.counters.add('deliveryRetries');
          this.outbox.markFailed(entry.topic, now + this.backoffDelay(entry.attempt), {
            error: describe(error),
            // An unreadable answer may hide a successful write.
            outcomeUnknown:
              entry.outcomeUnknown || (error.code !== undefined && UNREADABLE_ANSWER.has(error.code)),
          });
        }
      } else {
        this.outbox.drop(entry.topic, describe(error));
      }
    }
    this.onWritten(alreadyStored);
    if (unclear > 0) {
      this.logger.warn(
        { err: sample, entries: unclear },
        'stompy delivery: memory server refused writes without a clear reason; retrying with backoff',
      );
    }
    if (rateLimit) this.onRateLimited(rateLimit, rateLimited, now);
  }

  private onRateLimited(error: StompyToolError, entries: ClaimedEntry[], now: number): void {
    this.consecutiveRateLimited += 1;
    const retryAfterMs =
      error.retryAfterSeconds === undefined ? undefined : Math.max(0, error.retryAfterSeconds * 1000);
    const pauseMs = retryAfterMs ?? this.backoffDelay(this.consecutiveRateLimited);
    this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
    for (const entry of entries) {
      this.outbox.markFailed(entry.topic, now + Math.max(pauseMs, this.backoffDelay(entry.attempt)), {
        error: describe(error),
        outcomeUnknown: entry.outcomeUnknown,
      });
    }
    this.counters.add('deliveryRetries', entries.length);
    this.logger.warn(
      {
        err: error,
        entries: entries.length,
        pauseMs: Math.round(pauseMs),
        retryAfterSeconds: error.retryAfterSeconds,
      },
      'stompy delivery: memory server rate limit; pausing delivery',
    );
  }

  private failAll(entries: ClaimedEntry[], error: unknown, outcomeUnknown: boolean): void {
    if (entries.length === 0) return;
    const now = this.clock.now();
    for (const entry of entries) {
      this.outbox.markFailed(entry.topic, now + this.backoffDelay(entry.attempt), {
        error: errorMessage(error),
        outcomeUnknown: outcomeUnknown || entry.outcomeUnknown,
      });
    }
    this.counters.add('deliveryRetries', entries.length);
  }

  /** Exponential backoff with full jitter: uniform in [0, min(max, initial * 2^(attempt-1))]. */
  private backoffDelay(attempt: number): number {
    const cap = Math.min(
      this.backoffMaxMs,
      this.backoffInitialMs * 2 ** Math.min(Math.max(0, attempt - 1), 40),
    );
    return Math.floor(this.random() * cap);
  }

  private safePending(): number | undefined {
    try {
      return this.outbox.pendingCount();
    } catch {
      return undefined;
    }
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
    this.logger.error(
      { err: error },
      `stompy delivery: unexpected error in ${what}; outcomes stay in the outbox`,
    );
  }
}

function describe(error: StompyToolError): string {
  return error.code === undefined ? error.message : `${error.code}: ${error.message}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`OutboxDelivery: ${name} must be a positive number, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new TypeError(`OutboxDelivery: ${name} must be a number >= 0, got ${value}`);
  return value;
}
