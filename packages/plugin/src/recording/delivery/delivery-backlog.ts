import type { DigestCounts } from '../outbox/outbox-aggregates';
import type { OutboxBacklog } from '../outbox/outbox-types';
import type { PluginGauge } from '../../support/plugin-counters';
import type { CircuitState } from './circuit-breaker';
import type { MemoryServerState } from '../../mcp/server-roster';

/**
 * Whether delivery keeps up: what waits in the outbox and how fast it leaves. Read it with
 * `StompyPlugin.backlog()`; `known: false` when it could not be read (the memory thread did not
 * answer in time, no worker runs, or the outbox file could not be read), with the reason.
 */
export type DeliveryBacklog = KnownDeliveryBacklog | UnknownDeliveryBacklog;

/** The backlog as delivery sees it. */
export interface KnownDeliveryBacklog {
  readonly known: true;
  /** Outcomes waiting in the outbox to be delivered (claimed or not). */
  readonly pending: number;
  /** Their size in bytes (what `outbox.maxBytes` bounds). */
  readonly pendingBytes: number;
  /** How long the oldest pending outcome has waited, in ms; undefined when nothing is pending. */
  readonly oldestAgeMs: number | undefined;
  /** Outcomes the server refused for good, kept in the outbox file's dead-letter table. */
  readonly deadLetters: number;
  /** Outcomes delivered per minute over the last 5 minutes (over the time delivery has run, when shorter). */
  readonly deliveredPerMinute: number;
  /**
   * How long the pending outcomes take to deliver at `deliveredPerMinute`, in ms: 0 when nothing is
   * pending. **Undefined when outcomes are pending and none was delivered in the window: the outbox
   * is not draining** (the server is down or refusing, the circuit is open, or delivery does not
   * run); it grows until the server answers or the outbox is full.
   */
  readonly estimatedDrainMs: number | undefined;
  /** The delivery circuit breaker: `open` while the server is considered down. */
  readonly circuit: CircuitState;
  /**
   * Against a server without a batch tool (hosted Stompy): the per-key digests this outbox keeps,
   * how many the server does not have the latest counts of, and how long the longest-waiting one has
   * waited, in ms (insights read from digests lag by about that much).
   */
  readonly digests: {
    readonly keys: number;
    readonly dirty: number;
    readonly oldestDirtyAgeMs: number | undefined;
  };
  /**
   * With several memory servers (`memory.url` a list): each one's state in order of preference,
   * `current` the one calls go to now. Absent with one server.
   */
  readonly memoryServers?: readonly MemoryServerState[];
}

/** The backlog could not be read; nothing is known about it. */
export interface UnknownDeliveryBacklog {
  readonly known: false;
  /** Why, in a sentence. */
  readonly reason: string;
}

/** The backlog of an outbox read at `now` (epoch ms), delivering at `perMinute`. Pure. */
export function deliveryBacklog(
  outbox: OutboxBacklog,
  perMinute: number,
  circuit: CircuitState,
  now: number,
  digests: DigestCounts = { keys: 0, dirty: 0, oldestDirtySince: undefined },
): KnownDeliveryBacklog {
  const { pending, pendingBytes, oldestEnqueuedAt, deadLetters } = outbox;
  return {
    known: true,
    pending,
    pendingBytes,
    oldestAgeMs:
      pending === 0 || oldestEnqueuedAt === undefined ? undefined : Math.max(0, now - oldestEnqueuedAt),
    deadLetters,
    deliveredPerMinute: perMinute,
    estimatedDrainMs: drainMs(pending, perMinute),
    circuit,
    digests: {
      keys: digests.keys,
      dirty: digests.dirty,
      oldestDirtyAgeMs:
        digests.oldestDirtySince === undefined ? undefined : Math.max(0, now - digests.oldestDirtySince),
    },
  };
}

/** The gauges' values for a backlog: pending outcomes, and the drain time in seconds (-1: not draining). */
export function backlogGauges(backlog: KnownDeliveryBacklog): Readonly<Record<PluginGauge, number>> {
  const { pending, estimatedDrainMs } = backlog;
  return {
    outboxPending: pending,
    outboxDrainSeconds: estimatedDrainMs === undefined ? -1 : estimatedDrainMs / 1000,
  };
}

/** A backlog that could not be read, and why. */
export function unknownBacklog(reason: string): UnknownDeliveryBacklog {
  return { known: false, reason };
}

function drainMs(pending: number, perMinute: number): number | undefined {
  if (pending === 0) return 0;
  if (!(perMinute > 0)) return undefined;
  return Math.round((pending / perMinute) * 60_000);
}
