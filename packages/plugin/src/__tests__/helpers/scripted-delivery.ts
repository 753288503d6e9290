import { join } from 'node:path';
import type { OutboxDeliveryOptions } from '../../recording/delivery/delivery-settings';
import type { DeadLetter } from '../../recording/outbox/outbox-types';
import type { PluginCounterValues } from '../../support/plugin-counters';
import type { CapturedLogs } from './capturing-logger';
import { MemoryServerDouble, textResult, type DoubleAnswer } from './memory-server-double';
import type { MemoryTransport } from './memory-transports';
import { deliveryHarness, tempDir, write } from './outbox-test-kit';

// The delivery loop on its own (the plugin's real outbox file, MCP client and delivery, with retries
// sped up so the refusal rules play out in milliseconds) against a server double that answers the
// write tools as a test says, over one transport: which answers keep an entry for a later try, which
// send it to the dead letters at once, and which after a bounded number of tries.

/** Tries of an entry the server refused without a clear reason, before it goes to the dead letters. */
export const MAX_UNCLEAR = 3;

/** What a {@link deliverAgainst} run left behind. */
export interface ScriptedDelivery {
  flushed: { delivered: number; remaining: number };
  counters: PluginCounterValues;
  dead: DeadLetter[];
  /** Calls the double received, per tool. */
  calls: Record<string, number>;
  log: CapturedLogs;
}

/** A recall_batch that finds every topic asked for (the older list form). */
export const foundAll: DoubleAnswer = (args) =>
  textResult(
    JSON.stringify(
      (args.topics as string[]).map((topic) => ({ topic, found: true, content: 'x', version: '1.0' })),
    ),
  );

/**
 * Queues `count` outcome writes and flushes them (for at most a second) to a double reached over
 * `transport` whose tools answer as `answers` say; `recall_batch` answers garbage unless told.
 */
export async function deliverAgainst(
  transport: MemoryTransport,
  answers: Record<string, DoubleAnswer>,
  count = 1,
  options: Partial<OutboxDeliveryOptions> = {},
): Promise<ScriptedDelivery> {
  const double = new MemoryServerDouble({ answers: { recall_batch: textResult('[1, 2, 3]'), ...answers } });
  await double.listen();
  const temp = tempDir();
  const { outbox, delivery, counters, log, close } = deliveryHarness(
    { target: () => transport.target(double) },
    join(temp.dir, 'outbox.db'),
    {
      delivery: {
        callTimeoutMs: 2_000,
        backoffInitialMs: 1,
        backoffMaxMs: 5,
        circuitFailureThreshold: 5,
        circuitCoolDownMs: 20,
        maxUnclearAttempts: MAX_UNCLEAR,
        kickDebounceMs: 0,
        idlePollMs: 20,
        ...options,
      },
      ...(options.clock ? { outbox: { now: options.clock.now } } : {}),
    },
  );
  try {
    for (let i = 1; i <= count; i++) {
      expect(outbox.enqueue(write(`temporal:act:default:wf-1:run-1:a${i}:1`))).toBe('queued');
    }
    delivery.start();
    const flushed = await delivery.flush(1_000);
    return {
      flushed,
      counters: counters.snapshot(),
      dead: outbox.deadLetters(),
      calls: double.callCounts(),
      log,
    };
  } finally {
    await close();
    await double.close();
    temp.remove();
  }
}

/** Expects the one entry to have been tried MAX_UNCLEAR times, then dead-lettered for `reason`, loudly. */
export function expectDeadLetteredAfterTries(result: ScriptedDelivery, reason: RegExp): void {
  expect(result.flushed.remaining).toBe(0);
  expect(result.counters).toMatchObject({ outcomesDelivered: 0, outcomesDropped: 1, internalErrors: 0 });
  expect(result.dead).toHaveLength(1);
  expect(result.dead[0]?.reason).toMatch(reason);
  expect(result.dead[0]?.reason).toContain(`gave up after ${MAX_UNCLEAR} attempts`);
  expect(result.counters.deliveryRetries).toBe(MAX_UNCLEAR - 1);
  expect(result.log.has('refused an outcome for good', 50)).toBe(true);
  expect(result.log.has('refused writes without a clear reason')).toBe(true);
}
