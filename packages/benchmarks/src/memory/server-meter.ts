import { performance } from 'node:perf_hooks';
import type { MemoryStore } from '@temporal-stompy/memory-server';

/**
 * What a stretch of calls cost the server's process, per call: CPU, event-loop busy time, time in the
 * store and the CPU used there (the difference is waiting, mostly on the disk during checkpoints).
 */
export interface ServerCost {
  calls: number;
  cpuUsPerCall: number;
  busyUsPerCall: number;
  storeUsPerCall: number;
  storeCpuUsPerCall: number;
}

/** A server cost when nothing was measured. */
export const UNMEASURED: ServerCost = {
  calls: 0,
  cpuUsPerCall: NaN,
  busyUsPerCall: NaN,
  storeUsPerCall: NaN,
  storeCpuUsPerCall: NaN,
};

/**
 * Measures the server's cost per call in this process. It wraps the store's `lockMany` (where
 * `lock_context` calls are written, grouped) and `search` to time them and to count calls: the store's
 * methods are called through the instance, so the wrapping sees every call the server answers.
 */
export class ServerMeter {
  private calls = 0;
  private storeMs = 0;
  private storeCpuUs = 0;

  constructor(store: MemoryStore) {
    store.lockMany = this.timed(store.lockMany.bind(store), (contexts) => contexts.length);
    store.search = this.timed(store.search.bind(store));
  }

  /** Runs `work` (which makes the server answer calls) and returns its result and the cost per call. */
  async measure<T>(work: () => Promise<T>): Promise<{ result: T; cost: ServerCost }> {
    this.calls = 0;
    this.storeMs = 0;
    this.storeCpuUs = 0;
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    const result = await work();
    const cpuUs = process.cpuUsage(cpu);
    const busy = performance.eventLoopUtilization(elu);
    const calls = Math.max(1, this.calls);
    return {
      result,
      cost: {
        calls: this.calls,
        cpuUsPerCall: (cpuUs.user + cpuUs.system) / calls,
        busyUsPerCall: (busy.active * 1000) / calls,
        storeUsPerCall: (this.storeMs * 1000) / calls,
        storeCpuUsPerCall: this.storeCpuUs / calls,
      },
    };
  }

  /** `fn`, timed; `callsIn` says how many calls one invocation answers (a group write answers many). */
  private timed<A, R>(fn: (input: A) => R, callsIn: (input: A) => number = () => 1): (input: A) => R {
    return (input: A): R => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      try {
        return fn(input);
      } finally {
        const used = process.cpuUsage(cpu);
        this.storeCpuUs += used.user + used.system;
        this.storeMs += performance.now() - started;
        this.calls += callsIn(input);
      }
    };
  }
}
