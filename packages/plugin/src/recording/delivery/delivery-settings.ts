import type { Logger } from 'pino';
import type { StompyClient } from '../../mcp/stompy-client';
import { checkedNumber, NON_NEGATIVE, POSITIVE, type NumberRange } from '../../support/number-check';
import type { CallGate } from '../../support/call-budget';
import type { PluginCounters } from '../../support/plugin-counters';
import type { OutcomeOutbox } from '../outbox/outcome-outbox';
import type { BackoffPolicy } from './backoff';
import type { DeliveryClock } from './delivery-clock';

/** The parts of {@link StompyClient} delivery uses. */
export type DeliveryClient = Pick<
  StompyClient,
  'lockContext' | 'lockContextBatch' | 'supportsBatchWrites' | 'supportsOutcomeInsights' | 'recallBatch'
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
  | 'aggregates'
  | 'backlog'
>;

/** Options of `OutboxDelivery`. */
export interface OutboxDeliveryOptions {
  readonly outbox: DeliveryOutbox;
  readonly client: DeliveryClient;
  readonly logger: Logger;
  readonly counters: Pick<PluginCounters, 'add'>;
  /** Most writes per batch call (when the server offers the batch tool); default 50. */
  readonly batchSize?: number;
  /**
   * Client-side rate limit, in tool calls per minute (a batch call is one call); default unlimited
   * (the embedded server). Hosted Stompy's free plan allows 60.
   */
  readonly maxCallsPerMinute?: number;
  /** Calls that may go at once after a quiet period, within the rate limit; default 1 (no burst). */
  readonly rateLimitBurst?: number;
  /** The gate every call passes (a budget shared with recall); replaces `maxCallsPerMinute` and `rateLimitBurst`. */
  readonly calls?: CallGate;
  /** Timeout of every call to the memory server, in ms; default 10 s. */
  readonly callTimeoutMs?: number;
  /** How long a claim keeps other deliverers off an entry, in ms; default twice the call timeout plus 5 s. */
  readonly leaseMs?: number;
  /** First retry delay cap of an entry, in ms; doubles per attempt up to `backoffMaxMs` (full jitter); default 1 s. */
  readonly backoffInitialMs?: number;
  /** Largest retry delay cap, in ms; default 5 min. */
  readonly backoffMaxMs?: number;
  /** Consecutive "unavailable" calls (outage, timeout) that open the circuit; default 5. */
  readonly circuitFailureThreshold?: number;
  /** How long an open circuit stops all calls before one probe, in ms; default 30 s. */
  readonly circuitCoolDownMs?: number;
  /**
   * Attempts of an entry the server refused without saying why (no error code, `internal_error`, or
   * an unreadable answer) before it goes to the dead letters; default 10. Bad input goes at once; outages and
   * rate limits are retried without limit (the outbox is bounded).
   */
  readonly maxUnclearAttempts?: number;
  /** While delivery is quiet, a kick waits this long for more work to join the batch, in ms; default 20. */
  readonly kickDebounceMs?: number;
  /**
   * While delivery is busy (more than 5 calls in the last second), a kick waits this long instead, so a
   * steady stream of outcomes goes in one call per this long, in ms; default 100.
   */
  readonly busyDebounceMs?: number;
  /** With nothing to do, look at the outbox again after this long (other processes' entries, expired leases), in ms; default 5 s. */
  readonly idlePollMs?: number;
  /**
   * Against a server without a batch tool, outcomes go out in packs and each key's counts in a digest
   * (see `AggregateSender`); false sends one `lock_context` per outcome instead. Default true.
   */
  readonly aggregate?: boolean;
  /** Half-life of the recency weights digests keep, in days (recall's `halfLifeDays`); default 28. */
  readonly halfLifeDays?: number;
  /** A key's digest is written at most once per this long, in ms; default 60 s. */
  readonly digestIntervalMs?: number;
  /** Once a digest has waited this long, packs and digests take turns, in ms; default 5 min. */
  readonly digestMaxLagMs?: number;
  /** A pack that is not half full waits this long for more outcomes, in ms; default 5 s. */
  readonly packWaitMs?: number;
  readonly clock?: DeliveryClock;
  /** Random numbers in [0, 1) for the jitter; default `Math.random`. */
  readonly random?: () => number;
}

/** What a flush achieved. */
export interface FlushResult {
  /** Writes delivered while the flush ran. */
  readonly delivered: number;
  /** Entries still pending in the outbox (they are delivered after the next start). */
  readonly remaining: number;
}

/** Delivery's numeric settings, checked, with every default filled in. */
export interface DeliverySettings {
  readonly batchSize: number;
  readonly maxCallsPerMinute: number;
  readonly rateLimitBurst: number;
  readonly callTimeoutMs: number;
  readonly leaseMs: number;
  readonly backoff: BackoffPolicy;
  readonly circuitFailureThreshold: number;
  readonly circuitCoolDownMs: number;
  readonly maxUnclearAttempts: number;
  readonly kickDebounceMs: number;
  readonly busyDebounceMs: number;
  readonly idlePollMs: number;
  readonly aggregate: boolean;
  readonly halfLifeDays: number;
  readonly digestIntervalMs: number;
  readonly digestMaxLagMs: number;
  readonly packWaitMs: number;
}

const WHOLE: NumberRange = { min: 1, integer: true };

/** Checks delivery's numeric options (a bad one throws a TypeError naming it) and fills in defaults. */
export function deliverySettings(options: OutboxDeliveryOptions): DeliverySettings {
  const setting = (
    name: keyof OutboxDeliveryOptions,
    fallback: number,
    range: NumberRange = POSITIVE,
  ): number => checkedNumber('OutboxDelivery', name, options[name] as number | undefined, fallback, range);
  const callTimeoutMs = setting('callTimeoutMs', 10_000);
  const leaseMs = setting('leaseMs', 2 * callTimeoutMs + 5_000);
  if (leaseMs <= callTimeoutMs) {
    throw new TypeError(
      `OutboxDelivery: leaseMs (${leaseMs}) must be longer than callTimeoutMs (${callTimeoutMs})`,
    );
  }
  const initialMs = setting('backoffInitialMs', 1_000);
  return {
    batchSize: setting('batchSize', 50, WHOLE),
    maxCallsPerMinute:
      options.maxCallsPerMinute === undefined
        ? Number.POSITIVE_INFINITY
        : setting('maxCallsPerMinute', Number.POSITIVE_INFINITY),
    rateLimitBurst: setting('rateLimitBurst', 1),
    callTimeoutMs,
    leaseMs,
    backoff: { initialMs, maxMs: Math.max(initialMs, setting('backoffMaxMs', 300_000)) },
    circuitFailureThreshold: setting('circuitFailureThreshold', 5, WHOLE),
    circuitCoolDownMs: setting('circuitCoolDownMs', 30_000),
    maxUnclearAttempts: setting('maxUnclearAttempts', 10, WHOLE),
    kickDebounceMs: setting('kickDebounceMs', 20, NON_NEGATIVE),
    busyDebounceMs: setting('busyDebounceMs', 100, NON_NEGATIVE),
    idlePollMs: setting('idlePollMs', 5_000),
    aggregate: options.aggregate !== false,
    halfLifeDays: setting('halfLifeDays', 28),
    digestIntervalMs: setting('digestIntervalMs', 60_000, NON_NEGATIVE),
    digestMaxLagMs: setting('digestMaxLagMs', 300_000, NON_NEGATIVE),
    packWaitMs: setting('packWaitMs', 5_000, NON_NEGATIVE),
  };
}
