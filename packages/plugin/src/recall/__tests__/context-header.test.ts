import { countOutcomes, keyInsights } from '@temporal-stompy/insights';
import { decodeRecalledContext, encodeRecalledContext, MAX_CONTEXT_HEADER_BYTES } from '../context-header';
import type { RecalledContext } from '../recalled-context';

// The stompy-context header is bounded: the least relevant memories are left out first, the
// insights and risk always stay, and what is kept decodes back as it was.

/** Insights of customer C1 as an attempt is handed them. */
const customerInsights = (() => {
  const {
    windows: _windows,
    unhandled: _unhandled,
    ...shown
  } = keyInsights(
    countOutcomes('customer:C1', [
      {
        kind: 'activity',
        workflowType: 'W',
        activityType: 'pay',
        failed: true,
        issue: 'CardDeclined',
        message: 'no funds',
        durationMs: 20,
        eventTimeMs: Date.UTC(2026, 10, 24, 15),
        timeZone: 'UTC',
        window: 39,
      },
    ]),
    { runs: 100, failures: 5 },
    { exact: true },
  );
  return {
    ...shown,
    window: { window: 39, label: 'Tuesdays 15:00-16:00 UTC', runs: 1, failures: 1, failureRate: 0.24 },
  };
})();

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
    insights: { 'customer:C1': customerInsights },
    risk: { level: 'high', score: 0.6, reasons: ['customer C1 failed 3 of 4 runs (5% across the memory)'] },
    complete: true,
    recalledAt: '2026-11-25T07:00:00.000Z',
  };
}

it('carries a small context whole', () => {
  const small = context(3, 100);
  expect(decodeRecalledContext(encodeRecalledContext(small))).toEqual(small);
});

it('keeps the most relevant memories that fit, and every key’s insights and the risk', () => {
  const large = context(30, 2_000);
  const payload = encodeRecalledContext(large);
  expect(payload.data!.length).toBeLessThanOrEqual(MAX_CONTEXT_HEADER_BYTES);
  const decoded = decodeRecalledContext(payload)!;
  expect(decoded.insights).toEqual(JSON.parse(JSON.stringify(large.insights)));
  expect(decoded.risk).toEqual(large.risk);
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
