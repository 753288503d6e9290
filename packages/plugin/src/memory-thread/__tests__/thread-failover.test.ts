import { join } from 'node:path';
import type { KnownDeliveryBacklog } from '../../recording/delivery/delivery-backlog';
import { PluginCounters } from '../../support/plugin-counters';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { startMemoryFleet, type MemoryFleet } from '../../__tests__/helpers/memory-fleet';
import { tempDir } from '../../__tests__/helpers/outbox-test-kit';
import { waitFor } from '../../__tests__/helpers/wait-for';
import { MemoryThread } from '../memory-thread';
import type { ThreadSettings } from '../thread-protocol';

// The plugin's memory thread (a real worker thread: outbox, delivery, failover session) pointed at
// two real memory servers over HTTP in front of one store. The first closes while outcomes stream in:
// delivery goes on through the second, recall calls answer within a recall-sized timeout, and every
// outcome is stored exactly once (one version, no loss); the backlog says which server is current.

const OUTCOMES = 120;
const RECALL_BUDGET_MS = 150;

let temp: ReturnType<typeof tempDir>;
let fleet: MemoryFleet;
beforeEach(async () => {
  temp = tempDir();
  fleet = await startMemoryFleet(join(temp.dir, 'memory.db'), 2);
});
afterEach(async () => {
  await fleet.close();
  temp.remove();
});

function settings(): ThreadSettings {
  return {
    memory: {
      kind: 'http',
      urls: fleet.members.map((m) => m.url),
      transport: 'streamable-http',
      token: undefined,
    },
    project: undefined,
    timeoutMs: 5_000,
    callBudget: undefined,
    halfLifeDays: 28,
    outbox: { path: join(temp.dir, 'outbox.db'), maxBytes: 16 * 1024 * 1024, maxEntries: 10_000 },
    logLevel: 'info',
  };
}

const write = (i: number) => ({
  topic: `thread-failover:${i}`,
  content: `Workflow: thread-failover-${i} (w, run r)\nSuccess: yes`,
  tags: ['temporal', 'activity-outcome'],
  priority: 'reference' as const,
});

it('delivers every outcome exactly once through the second server when the first closes mid-stream', async () => {
  const log = capturingLogger('info');
  const counters = new PluginCounters();
  const thread = new MemoryThread(settings(), log.logger, counters);
  const [first, second] = fleet.members as [MemoryFleet['members'][0], MemoryFleet['members'][0]];
  try {
    await thread.request({ op: 'start' }, 5_000);
    for (let i = 0; i < OUTCOMES; i++) {
      await thread.request({ op: 'record', writes: [write(i)] }, 5_000);
      if (i === OUTCOMES / 3)
        await waitFor(() => first.answered() > 0, 10_000, 'the first server to take writes');
      if (i === OUTCOMES / 2) await first.stop();
    }
    // Recall-sized calls answer from the second server within their budget.
    for (let i = 0; i < 5; i++) {
      await expect(
        thread.request(
          {
            op: 'call',
            tool: 'recall_batch',
            args: { topics: [write(0).topic] },
            timeoutMs: RECALL_BUDGET_MS,
          },
          5_000,
        ),
      ).resolves.toBeDefined();
    }
    await waitFor(
      async () =>
        (await thread.request<{ remaining: number }>({ op: 'flush', timeoutMs: 2_000 }, 5_000)).remaining ===
        0,
      30_000,
      'the outbox to drain through the second server',
    );
    const backlog = await thread.request<KnownDeliveryBacklog>({ op: 'backlog' }, 5_000);
    expect(backlog).toMatchObject({ known: true, pending: 0, deadLetters: 0 });
    expect(backlog.memoryServers).toEqual([
      expect.objectContaining({ url: first.url, current: false, down: true }),
      expect.objectContaining({ url: second.url, current: true, down: false }),
    ]);
  } finally {
    await thread.close(2_000);
  }
  expect(second.answered()).toBeGreaterThan(0);
  const stored = fleet.topics('thread-failover-');
  expect(stored).toHaveLength(OUTCOMES);
  expect(stored.every((t) => t.versions === 1)).toBe(true);
  expect(counters.snapshot()).toMatchObject({
    outcomesQueued: OUTCOMES,
    outcomesDelivered: OUTCOMES,
    outcomesDropped: 0,
    internalErrors: 0,
    memoryFailovers: 1,
  });
  expect(log.at('warn', 'failing over')).toHaveLength(1);
  expect(log.errors()).toEqual([]);
});
