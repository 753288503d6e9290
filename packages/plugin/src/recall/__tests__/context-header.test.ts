import { decodeRecalledContext, encodeRecalledContext, MAX_CONTEXT_HEADER_BYTES } from '../context-header';
import type { RecalledContext } from '../recalled-context';

// The stompy-context header is bounded: the least relevant memories are left out first, the
// summaries always stay, and what is kept decodes back as it was.

function context(memories: number, chars: number): RecalledContext {
  return {
    keys: ['customer:C1'],
    memories: Array.from({ length: memories }, (_, i) => ({
      topic: `t${i}`,
      content: `${'é'.repeat(chars / 2)}${'x'.repeat(chars / 2)}`,
      tags: ['customer:C1'],
      time: '2026-11-25T06:00:00.000Z',
      score: memories - i,
    })),
    summaries: {
      'customer:C1': {
        key: 'customer:C1',
        runsSeen: 3,
        failures: 1,
        lastFailure: { at: undefined, type: 'CardDeclined', message: 'no funds' },
        commonIssues: [{ type: 'CardDeclined', count: 1 }],
        typicalDurationMs: 20,
      },
    },
    insights: {},
    risk: { level: 'low', score: 0.05, reasons: [] },
    complete: true,
    recalledAt: '2026-11-25T07:00:00.000Z',
  };
}

it('carries a small context whole', () => {
  const small = context(3, 100);
  expect(decodeRecalledContext(encodeRecalledContext(small))).toEqual(small);
});

it('keeps the most relevant memories that fit, and every summary', () => {
  const large = context(30, 2_000);
  const payload = encodeRecalledContext(large);
  expect(payload.data!.length).toBeLessThanOrEqual(MAX_CONTEXT_HEADER_BYTES);
  const decoded = decodeRecalledContext(payload)!;
  expect(decoded.summaries).toEqual(large.summaries);
  const kept = decoded.memories.map((m) => m.topic);
  expect(kept).toEqual(large.memories.slice(0, kept.length).map((m) => m.topic));
  // As many as fit: one more would not.
  const oneMore = { ...large, memories: large.memories.slice(0, kept.length + 1) };
  expect(Buffer.byteLength(JSON.stringify(oneMore))).toBeGreaterThan(MAX_CONTEXT_HEADER_BYTES);
});

it('reads a malformed header as nothing', () => {
  expect(
    decodeRecalledContext({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{') }),
  ).toBeUndefined();
  expect(decodeRecalledContext(undefined)).toBeUndefined();
});
