import type { Logger } from 'pino';
import { ThrottledLog } from '../../support/throttled-log';
import type { DeliveryBacklog } from './delivery-backlog';

/** When a {@link SlowDrainWarning} warns, and how often at most. */
export interface SlowDrainWarningOptions {
  /** Warn when the estimated drain time is longer than this, in ms; default 10 minutes. */
  readonly maxDrainMs?: number;
  /** Warn when the outbox is not draining and its oldest outcome has waited longer than this, in ms; default 1 minute. */
  readonly stuckAgeMs?: number;
  /** Shortest interval between two warnings, in ms; default 5 minutes. */
  readonly intervalMs?: number;
  /** The clock, epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Warns (pino, throttled) when delivery does not keep up: the estimated drain time is over 10
 * minutes, or outcomes older than a minute are pending and none was delivered in the window. The
 * line names the pending outcomes, the rate and the drain time, and how many checks it stands for.
 */
export class SlowDrainWarning {
  private readonly log: ThrottledLog;
  private readonly maxDrainMs: number;
  private readonly stuckAgeMs: number;

  constructor(logger: Logger, options: SlowDrainWarningOptions = {}) {
    this.maxDrainMs = options.maxDrainMs ?? 600_000;
    this.stuckAgeMs = options.stuckAgeMs ?? 60_000;
    this.log = new ThrottledLog(logger, {
      intervalMs: options.intervalMs ?? 300_000,
      countField: 'slowChecks',
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** Looks at a backlog; warns when it is slow or stuck, unless a warning went out less than the interval ago. */
  check(backlog: DeliveryBacklog): void {
    if (!backlog.known || backlog.pending === 0) return;
    const { pending, deliveredPerMinute, estimatedDrainMs, oldestAgeMs, circuit } = backlog;
    const fields = {
      pending,
      deliveredPerMinute: Math.round(deliveredPerMinute * 10) / 10,
      estimatedDrainSeconds: estimatedDrainMs === undefined ? undefined : Math.round(estimatedDrainMs / 1000),
      oldestAgeSeconds: oldestAgeMs === undefined ? undefined : Math.round(oldestAgeMs / 1000),
      circuit,
    };
    if (estimatedDrainMs === undefined) {
      if ((oldestAgeMs ?? 0) > this.stuckAgeMs) {
        this.log.log(
          fields,
          `the outbox is not draining: ${pending} outcomes pending, none delivered in the last 5 minutes`,
        );
      }
    } else if (estimatedDrainMs > this.maxDrainMs) {
      this.log.log(
        fields,
        `delivery is falling behind: ${pending} outcomes pending at ${fields.deliveredPerMinute} a minute, about ${Math.round(estimatedDrainMs / 60_000)} minutes to drain`,
      );
    }
  }
}
