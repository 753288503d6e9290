import type { Logger } from 'pino';
import type { KnownDeliveryBacklog, DeliveryBacklog } from '../recording/delivery/delivery-backlog';
import { SlowDrainWarning } from '../recording/delivery/slow-drain-warning';

/** How often the thread reports the backlog while delivery runs, in ms. */
export const BACKLOG_REPORT_INTERVAL_MS = 10_000;

/** Options of a {@link BacklogReporter}. */
export interface BacklogReporterOptions {
  /** Reads the backlog (delivery's `backlog()`); must not throw. */
  readonly read: () => DeliveryBacklog;
  /** Where each known backlog goes (to the main thread, which sets the metric gauges). */
  readonly report: (backlog: KnownDeliveryBacklog) => void;
  /** Delivery's logger: the slow-drain warning is delivery's line. */
  readonly logger: Logger;
  /** Default {@link BACKLOG_REPORT_INTERVAL_MS}. */
  readonly intervalMs?: number;
}

/**
 * While delivery runs, reads the backlog every 10 s, reports it to the main thread and warns
 * (throttled) when delivery does not keep up. Its timer never keeps the process alive.
 */
export class BacklogReporter {
  private timer: NodeJS.Timeout | undefined;
  private readonly warning: SlowDrainWarning;

  constructor(private readonly options: BacklogReporterOptions) {
    this.warning = new SlowDrainWarning(options.logger);
  }

  /** Reports now, then every interval (idempotent). */
  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? BACKLOG_REPORT_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops reporting. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    try {
      const backlog = this.options.read();
      if (!backlog.known) return; // delivery logged and counted why
      this.warning.check(backlog);
      this.options.report(backlog);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not report the outbox backlog');
    }
  }
}
