import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { StompyPlugin } from '../index';
import { MAX_MEMORY_CONTENT_CHARS } from '../recall/memory-recall';
import { capturingLogger } from './helpers/capturing-logger';
import { QUIET_OK, runThreeSteps } from './helpers/failure-runs';
import { MemoryServerDouble, textResult, type DoubleAnswer } from './helpers/memory-server-double';
import { readOutboxFile } from './helpers/outbox-file';
import { useTestbed } from './helpers/testbed';

// A memory server that answers garbage never hurts a workflow (rule 1): activities recall nothing
// from it and run as usual, every problem is logged and counted, and no outcome is counted as
// delivered when the server did not confirm it, nor lost silently. Odd but readable answers are read
// as far as they can be. The servers are the server double over Streamable HTTP, answering as told.

const bed = useTestbed('garbage-memory-server');
const RULES = [{ workflow: 'ThreeSteps', entities: { customer: 'args.0.customerId' } }];

/** Each call of a tool gets the next answer, round and round. */
function inTurn(answers: CallToolResult[]): DoubleAnswer {
  let next = 0;
  return () => answers[next++ % answers.length]!;
}

/** A result the MCP SDK's own server refuses to send (content must be a list): a JSON-RPC error on the wire. */
const WRONG_SHAPE = { content: 'not a list' } as unknown as CallToolResult;
const JUNK_TOPIC = 'junk:from-the-double';

/** A double answering every call with garbage of some kind. */
const garbage = new MemoryServerDouble({
  answers: {
    context_search: inTurn([
      textResult('<html>502 Bad Gateway</html>'),
      textResult('{"results": "x", "total_found": "many"}'),
      textResult(
        JSON.stringify({
          results: [{ topic: 1 }, 'junk', { metadata: '{broken' }, { label: JUNK_TOPIC }, null],
        }),
      ),
      { isError: true, content: [] },
      WRONG_SHAPE,
      textResult(`[${'"junk",'.repeat(400_000)}"end"]`), // 3 MB of JSON that is not a search result
    ]),
    lock_context: inTurn([
      textResult('stored!'),
      textResult('{}'),
      textResult('{"ok": true, "topic": 7}'),
      { isError: true, content: [] },
      WRONG_SHAPE,
    ]),
    recall_batch: textResult('[1, 2, 3]'),
    recall_context: { isError: true, content: [] },
  },
});
beforeAll(() => garbage.listen());
afterAll(() => garbage.close());

it('recalls nothing from it, leaves workflows alone, and counts nothing it did not confirm as delivered', async () => {
  const log = capturingLogger();
  const stompy = new StompyPlugin({
    memory: { url: garbage.url, timeoutMs: 2_000 },
    outbox: { path: bed.file('garbage-outbox.db') },
    // A generous budget, so the garbage is read and judged rather than outwaited.
    recall: { budgetMs: 2_000, cacheTtlMs: 0 },
    rules: RULES,
    shutdownFlushMs: 300,
    logger: log.logger,
  });
  const { results, recalled } = await runThreeSteps(bed, stompy);
  expect(results).toEqual(['C1:1', 'C1:2', 'C1:3']);

  // The only memories activities saw are outcomes this worker recorded itself, never the junk.
  const topics = recalled.flatMap((c) => c?.memories.map((m) => m.topic) ?? []);
  expect(topics.filter((t) => !/^temporal:(act|wf):/.test(t))).toEqual([]);
  expect(garbage.callCounts().context_search).toBeGreaterThanOrEqual(6);
  expect(garbage.callCounts().lock_context).toBeGreaterThan(0);

  const counters = stompy.counters();
  expect(counters).toMatchObject({ outcomesQueued: 4, outcomesDelivered: 0, internalErrors: 0 });
  expect(counters.recallsFailed).toBeGreaterThan(0);
  expect(log.has('stompy recall: failed')).toBe(true);
  expect(log.has(/refused writes without a clear reason|memory server unavailable/)).toBe(true);
  // Kept for a later delivery or dead-lettered (loudly): never silently gone.
  const { pending, deadLetters } = readOutboxFile(bed.file('garbage-outbox.db'));
  expect(pending + deadLetters.length).toBe(4);
  expect(deadLetters).toHaveLength(counters.outcomesDropped);
});

it('reads what it can of odd but readable answers: a hit with broken metadata and 2 MB of content', async () => {
  const big = `Workflow: Elsewhere (x, run y)\nSuccess: no\nStatus: failed\nDuration: 5 ms\nStarted: 2026-11-25T06:00:00.000Z\nIssues: Slow: ${'z'.repeat(2 * 1024 * 1024)}`;
  const odd = new MemoryServerDouble({
    answers: {
      context_search: textResult(
        JSON.stringify({
          results: [
            { label: 'hosted:odd', content: big, rrf_score: 0.5, metadata: '{"tags": ["customer:C1"' },
          ],
          total_found: 1,
        }),
      ),
      lock_context: (args) =>
        textResult(
          JSON.stringify({
            topic: args.topic,
            version: '1.0',
            usage_warning: { used: 55, cap: 60, pct: 'lots', resets_at: 3 },
          }),
        ),
    },
  });
  await odd.listen();
  try {
    const log = capturingLogger();
    const stompy = new StompyPlugin({
      memory: { url: odd.url, timeoutMs: 5_000 },
      outbox: { path: bed.file('odd-answers-outbox.db') },
      recall: { budgetMs: 5_000 },
      rules: RULES,
      shutdownFlushMs: 10_000,
      logger: log.logger,
    });
    const { results, recalled } = await runThreeSteps(bed, stompy);
    expect(results).toEqual(['C1:1', 'C1:2', 'C1:3']);
    const first = recalled[0]?.memories.find((m) => m.topic === 'hosted:odd');
    expect(first).toMatchObject({ tags: [], score: 0.5 });
    // Memories are cut to what an activity needs; insights are read from what is kept.
    expect(first?.content).toBe(`${big.slice(0, MAX_MEMORY_CONTENT_CHARS)}…`);
    expect(recalled[0]?.insights['customer:C1']).toMatchObject({
      failures: 1,
      commonIssues: [{ type: 'Slow', count: 1 }],
    });
    expect(stompy.counters()).toMatchObject({
      ...QUIET_OK,
      outcomesQueued: 4,
      outcomesDelivered: 4,
      recallsFailed: 0,
    });
    expect(log.errors()).toEqual([]);
  } finally {
    await odd.close();
  }
});
