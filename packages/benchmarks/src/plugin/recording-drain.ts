import { setTimeout as sleep } from 'node:timers/promises';
import type { StompyPlugin } from '@temporal-stompy/plugin';

/** How often the drain looks at the plugin's counters. */
const POLL_MS = 25;

/**
 * Waits, at most `timeoutMs`, until the plugin has delivered (or dropped) every outcome it queued,
 * leaving delivery to its own loop, so a round's CPU includes the delivery of what the round recorded
 * and none of it spills into the next round. Resolves with the outcomes still pending.
 */
export async function waitForDelivery(plugin: StompyPlugin, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = plugin.counters();
    const pending = c.outcomesQueued - c.outcomesDelivered - c.outcomesDropped;
    if (pending <= 0 || Date.now() >= deadline) return Math.max(0, pending);
    await sleep(POLL_MS);
  }
}
