import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { EventLoopDelay } from './worker-protocol';

/** Now on the process's monotonic clock, in microseconds: the clock of a `.cpuprofile`'s timestamps. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** What the meter saw between `start` and `stop`. */
export interface MeteredStretch {
  cpuMs: number;
  wallMs: number;
  eventLoopDelay: EventLoopDelay;
  window: { startUs: number; endUs: number };
}

/** Timer resolution of the event-loop delay histogram (Node's default), in milliseconds. */
export const DELAY_RESOLUTION_MS = 10;

/**
 * A histogram value as a delay: the histogram records the time between its timer's callbacks, which
 * includes the timer's own interval (an idle loop reads about 10 ms), so the interval is subtracted.
 */
function delayMs(ns: number): number {
  return Math.max(0, ns / 1e6 - DELAY_RESOLUTION_MS);
}

/**
 * Measures this process over a stretch: CPU time of every thread (`process.cpuUsage`: the JS thread,
 * the workflow thread, Temporal's core threads, libuv's pool) and the event loop's delay.
 */
export class WorkerMeter {
  private readonly delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  private cpuAtStart = process.cpuUsage();
  private wallAtStart = performance.now();
  private startUs = monotonicMicros();

  /** Starts a stretch, forgetting the last one. */
  start(): void {
    this.delay.disable();
    this.delay.reset();
    this.delay.enable();
    this.cpuAtStart = process.cpuUsage();
    this.wallAtStart = performance.now();
    this.startUs = monotonicMicros();
  }

  /** Ends the stretch and returns what it cost. */
  stop(): MeteredStretch {
    const cpu = process.cpuUsage(this.cpuAtStart);
    const wallMs = performance.now() - this.wallAtStart;
    this.delay.disable();
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs,
      eventLoopDelay: {
        p50: delayMs(this.delay.percentile(50)),
        p99: delayMs(this.delay.percentile(99)),
        max: delayMs(this.delay.max),
      },
      window: { startUs: this.startUs, endUs: monotonicMicros() },
    };
  }
}
