import type { CounterCounts, PluginCounterValues } from '../support/plugin-counters';
import type { ThreadEvent } from './thread-protocol';

/**
 * The counters the memory thread's parts count with (they take `Pick<PluginCounters, 'add'>`).
 * Counts are sent to the main thread, where the plugin's counters and Temporal's metrics live, summed
 * per turn of the event loop; every answer carries the counts not sent yet ({@link take}), so a
 * caller that gets an answer sees the counts that led to it.
 */
export class ThreadCounters {
  private pending: Partial<CounterCounts> = {};
  private scheduled = false;

  constructor(private readonly post: (event: ThreadEvent) => void) {}

  /** Adds `by` (default 1) to a counter. */
  add(name: keyof PluginCounterValues, by = 1): void {
    this.pending[name] = (this.pending[name] ?? 0) + by;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Sends the counts not sent yet. */
  flush(): void {
    const counts = this.take();
    if (counts) this.post({ event: 'count', counts });
  }

  /** The counts not sent yet, to send with an answer; undefined when there are none. */
  take(): Partial<PluginCounterValues> | undefined {
    this.scheduled = false;
    if (Object.keys(this.pending).length === 0) return undefined;
    const counts = this.pending;
    this.pending = {};
    return counts;
  }
}
