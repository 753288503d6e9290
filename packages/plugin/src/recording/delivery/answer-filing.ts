import type { Logger } from 'pino';
import { StompyToolError, StompyUnavailableError } from '../../mcp/stompy-errors';
import { errorMessage } from '../../support/error-message';
import type { PluginCounters } from '../../support/plugin-counters';
import type { CallGate } from '../../support/call-budget';
import type { ClaimedEntry } from '../outbox/outbox-types';
import { backoffDelay } from './backoff';
import type { CircuitBreaker } from './circuit-breaker';
import type { DeliveryClock } from './delivery-clock';
import { DeliveryRate } from './delivery-rate';
import type { DeliveryOutbox, DeliverySettings } from './delivery-settings';
import { describeRefusal, refusalVerdict } from './refusal-rules';

/** What the filing of answers shares with the rest of delivery. */
export interface FilingDeps {
  readonly outbox: DeliveryOutbox;
  readonly logger: Logger;
  readonly counters: Pick<PluginCounters, 'add'>;
  readonly clock: DeliveryClock;
  readonly random: () => number;
  readonly settings: DeliverySettings;
  readonly circuit: CircuitBreaker;
  readonly bucket: CallGate;
}

/**
 * Files what the memory server answered in the outbox: written entries are delivered, refused ones
 * follow the refusal rules, unanswered ones back off and may open the circuit. Also holds what the
 * answers taught delivery: how long to pause calls, how many were delivered.
 */
export class AnswerFiling {
  /** No call before this time (the server's retry-after, or a failure with no entry to carry the backoff). */
  pausedUntil = 0;
  /** Writes delivered so far. */
  delivered = 0;
  /** Writes delivered per minute, over a sliding window. */
  readonly rate: DeliveryRate;
  private consecutiveRateLimited = 0;

  constructor(private readonly deps: FilingDeps) {
    this.rate = new DeliveryRate(() => deps.clock.now());
  }

  /** How long no call may go, in ms: a pause, an open circuit, or an empty token bucket. */
  blockedForMs(now: number): number {
    const { circuit, bucket } = this.deps;
    return Math.max(0, this.pausedUntil - now, circuit.waitMs(now), bucket.waitMs(now));
  }

  /** The server has these topics: they leave the outbox. */
  written(topics: readonly string[]): void {
    if (topics.length === 0) return;
    this.countDelivered(this.deps.outbox.markDelivered(topics));
  }

  /** Entries that left the outbox another way (in a pack): counted as delivered. */
  countDelivered(count: number): void {
    this.consecutiveRateLimited = 0;
    this.delivered += count;
    this.rate.add(count);
  }

  /**
   * A call that carried no entry (a digest, the register of writers) failed with something other
   * than an outage: a rate limit pauses calls as the server says; a refusal is logged.
   */
  refusedCall(error: unknown, internalError: (error: unknown) => void): void {
    if (!(error instanceof StompyToolError)) {
      internalError(error);
      return;
    }
    this.answered();
    const now = this.deps.clock.now();
    if (error.retryable) this.pause(error, 0, now);
    else
      this.deps.logger.warn(
        { err: error },
        'memory server refused a write of derived memory; retrying later',
      );
  }

  /** The server answered a write or a recall (even with a refusal): it is reachable, close the circuit. */
  answered(): void {
    if (!this.deps.circuit.onAnswer()) return;
    this.deps.logger.info(
      { pending: this.safePending() },
      'memory server answers again; circuit closed, delivering the backlog',
    );
  }

  /** A call failed: unanswered, refused, or (a bug) something the client does not know. */
  callFailed(
    error: unknown,
    entries: readonly ClaimedEntry[],
    internalError: (error: unknown) => void,
  ): void {
    if (error instanceof StompyUnavailableError) {
      this.unavailable(error, entries);
    } else if (error instanceof StompyToolError) {
      this.answered();
      this.refused(entries.map((e): [ClaimedEntry, StompyToolError] => [e, error]));
    } else {
      // Not a failure the client knows: a bug. Count it, retry the entries later, and check first.
      internalError(error);
      this.retryAll(entries, error, true);
    }
  }

  /** The server did not answer: the entries back off (their outcome is unknown) and the circuit counts it. */
  unavailable(error: StompyUnavailableError, entries: readonly ClaimedEntry[]): void {
    const { circuit, settings, logger } = this.deps;
    const now = this.deps.clock.now();
    this.retryAll(entries, error, true);
    const effect = circuit.onUnavailable(now);
    if (entries.length === 0) this.pausedUntil = now + this.backoff(circuit.consecutiveFailures);
    const coolDownMs = settings.circuitCoolDownMs;
    if (effect === 'reopened') {
      logger.debug({ err: error, coolDownMs }, 'probe failed; circuit open again');
    } else if (effect === 'opened') {
      this.deps.counters.add('circuitOpened');
      logger.warn(
        { err: error, failures: circuit.consecutiveFailures, coolDownMs, pending: this.safePending() },
        'memory server unavailable; circuit open, outcomes wait in the outbox',
      );
    } else {
      logger.warn(
        { err: error, entries: entries.length, failures: circuit.consecutiveFailures },
        'memory server unavailable; retrying with backoff',
      );
    }
  }

  /** Per-entry refusals from a server that answered, each filed by the refusal rules. */
  refused(refusals: readonly (readonly [ClaimedEntry, StompyToolError])[]): void {
    if (refusals.length === 0) return;
    const { outbox, counters, settings } = this.deps;
    const now = this.deps.clock.now();
    const stored: string[] = [];
    const rateLimited: ClaimedEntry[] = [];
    let rateLimit: StompyToolError | undefined;
    let unclear = 0;
    let sample: StompyToolError | undefined;
    for (const [entry, error] of refusals) {
      const verdict = refusalVerdict(error, entry.attempt, settings.maxUnclearAttempts);
      switch (verdict.kind) {
        case 'stored':
          stored.push(entry.topic);
          break;
        case 'retry-later':
          rateLimited.push(entry);
          if (!rateLimit || (error.retryAfterSeconds ?? 0) > (rateLimit.retryAfterSeconds ?? 0))
            rateLimit = error;
          break;
        case 'retry-bounded':
          unclear += 1;
          sample = error;
          counters.add('deliveryRetries');
          outbox.markFailed(entry.topic, now + this.backoff(entry.attempt), {
            error: describeRefusal(error),
            outcomeUnknown: entry.outcomeUnknown || verdict.outcomeUnknown,
          });
          break;
        case 'dead-letter':
          outbox.drop(entry.topic, verdict.reason);
      }
    }
    this.written(stored);
    if (unclear > 0) {
      this.deps.logger.warn(
        { err: sample, entries: unclear },
        'memory server refused writes without a clear reason; retrying with backoff',
      );
    }
    if (rateLimit) this.rateLimited(rateLimit, rateLimited, now);
  }

  /** The entries go back with a backoff; `outcomeUnknown`: the write may have arrived, check first. */
  retryAll(entries: readonly ClaimedEntry[], error: unknown, outcomeUnknown: boolean): void {
    if (entries.length === 0) return;
    const now = this.deps.clock.now();
    for (const entry of entries) {
      this.deps.outbox.markFailed(entry.topic, now + this.backoff(entry.attempt), {
        error: errorMessage(error),
        outcomeUnknown: outcomeUnknown || entry.outcomeUnknown,
      });
    }
    this.deps.counters.add('deliveryRetries', entries.length);
  }

  private rateLimited(error: StompyToolError, entries: readonly ClaimedEntry[], now: number): void {
    const pauseMs = this.pause(error, entries.length, now);
    for (const entry of entries) {
      this.deps.outbox.markFailed(entry.topic, now + Math.max(pauseMs, this.backoff(entry.attempt)), {
        error: describeRefusal(error),
        outcomeUnknown: entry.outcomeUnknown,
      });
    }
    this.deps.counters.add('deliveryRetries', entries.length);
  }

  /** Pauses calls for the server's retry-after (or a growing backoff); returns the pause in ms. */
  private pause(error: StompyToolError, entries: number, now: number): number {
    this.consecutiveRateLimited += 1;
    const retryAfterMs =
      error.retryAfterSeconds === undefined ? undefined : Math.max(0, error.retryAfterSeconds * 1000);
    const pauseMs = retryAfterMs ?? this.backoff(this.consecutiveRateLimited);
    this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
    this.deps.logger.warn(
      { err: error, entries, pauseMs: Math.round(pauseMs), retryAfterSeconds: error.retryAfterSeconds },
      'memory server rate limit; pausing delivery',
    );
    return pauseMs;
  }

  private backoff(attempt: number): number {
    return backoffDelay(this.deps.settings.backoff, attempt, this.deps.random);
  }

  private safePending(): number | undefined {
    try {
      return this.deps.outbox.pendingCount();
    } catch {
      return undefined;
    }
  }
}
