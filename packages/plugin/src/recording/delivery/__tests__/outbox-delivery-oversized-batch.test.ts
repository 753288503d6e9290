// A batch bigger than the memory server accepts in one request is sent again one by one, rather than
// blocking delivery. Against the REAL memory server over Streamable HTTP, whose request limit is
// lowered to 256 KiB (the default is 4 MiB; lowering it makes the case cheap to build), with the
// plugin's real outbox file, MCP client and delivery.
import { join } from 'node:path';
import { hourOfWeek } from '@temporal-stompy/insights';
import { startMemoryOverHttp, type MemoryOverHttp } from '../../../__tests__/helpers/memory-over-http';
import { STREAMABLE_HTTP } from '../../../__tests__/helpers/memory-transports';
import { deliveryHarness, tempDir, type DeliveryHarness } from '../../../__tests__/helpers/outbox-test-kit';

let temp: ReturnType<typeof tempDir>;
let small: MemoryOverHttp;
let h: DeliveryHarness;

beforeAll(async () => {
  temp = tempDir();
  small = await startMemoryOverHttp(join(temp.dir, 'small-memory.db'), { maxBodyBytes: 256 * 1024 });
  h = deliveryHarness({ target: () => STREAMABLE_HTTP.target(small) }, join(temp.dir, 'outbox.db'), {
    delivery: { callTimeoutMs: 5_000 },
  });
});
afterAll(async () => {
  await h?.close();
  await small?.close();
  temp?.remove();
});

it('delivers a batch too large for one request one by one, each with its outcome facts', async () => {
  const at = Date.UTC(2026, 10, 26, 9);
  for (let i = 0; i < 8; i++) {
    h.outbox.enqueue({
      topic: `large-batch-${i}`,
      content: `Workflow: Large (large-batch-${i})\n${'y'.repeat(90_000)}`,
      tags: ['temporal'],
      priority: 'reference',
      outcome: {
        keys: ['workflow:Large'],
        facts: {
          kind: 'workflow',
          workflowType: 'Large',
          failed: i % 2 === 0,
          durationMs: 10,
          eventTimeMs: at,
          timeZone: 'UTC',
          window: hourOfWeek(at),
        },
      },
    });
  }
  h.delivery.start();
  expect(await h.delivery.flush(5_000)).toEqual({ delivered: 8, remaining: 0 });
  expect(h.counters.snapshot()).toMatchObject({
    outcomesDelivered: 8,
    outcomesDropped: 0,
    internalErrors: 0,
  });
  expect(h.log.has('batch write refused; sending these one by one')).toBe(true);
  const stored = small.topics('(large-batch-', 'test-project');
  expect(stored).toHaveLength(8);
  expect(stored.filter((s) => small.writes.get(s.topic) !== 1)).toEqual([]);
  // Sent alone, each still went as a batch of one: its facts were counted (lock_context keeps none).
  const { insights } = await small.deps.store.insights({ keys: ['workflow:Large'], project: 'test-project' });
  expect(insights[0]).toMatchObject({ runs: 8, failures: 4 });
});
