// What delivery does with an entry the server refuses: a refusal that says why (invalid input, too
// large) sends it to the dead letters at once, loudly, and never again to the server; a refusal with a
// code delivery does not know, or a rate limit said only in prose, keeps it for a later try; a
// refusal without a reason is tried a bounded number of times. First against the storing server
// double refusing chosen topics (in-process), then against a double answering the writes with
// refusals as hosted Stompy and older servers word them, over each transport the double is served on.
// Real outbox file, real MCP client.
import { DOUBLE_TRANSPORTS } from '../../../__tests__/helpers/memory-transports';
import { deliveryFixture, waitFor, write } from '../../../__tests__/helpers/outbox-test-kit';
import {
  deliverAgainst,
  expectDeadLetteredAfterTries,
  MAX_UNCLEAR,
} from '../../../__tests__/helpers/scripted-delivery';
import { textResult } from '../../../__tests__/helpers/memory-server-double';

describe('OutboxDelivery with a server that refuses chosen topics', () => {
  const fixture = deliveryFixture('outbox.db');
  const { harness } = fixture;

  it('sends a permanently refused write to the dead letters at once: counted, logged, never retried', async () => {
    fixture.server.refuse = (topic) => (topic === 'bad' ? 'invalid_input' : undefined);
    const h = harness();
    for (const t of ['good-1', 'bad', 'good-2']) h.outbox.enqueue(write(t));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0);

    expect([...fixture.server.stored.keys()]).toEqual(['good-1', 'good-2']);
    expect(fixture.server.calls.filter((c) => c.topics.includes('bad'))).toHaveLength(1);
    const deadLetters = h.outbox.deadLetters();
    expect(deadLetters.map((d) => d.topic)).toEqual(['bad']);
    expect(deadLetters[0]!.reason).toContain('invalid_input');
    expect(h.counters.snapshot()).toMatchObject({
      outcomesDelivered: 2,
      outcomesDropped: 1,
      deliveryRetries: 0,
    });
    expect(h.log.at('error', 'refused an outcome for good')).toEqual([
      expect.objectContaining({ topic: 'bad' }),
    ]);
  });

  it('dead-letters an entry too large for the server at once, like invalid input', async () => {
    fixture.server.refuse = (topic) => (topic === 'huge' ? 'payload_too_large' : undefined);
    const h = harness();
    for (const t of ['ok', 'huge']) h.outbox.enqueue(write(t));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0);
    expect(h.outbox.deadLetters().map((d) => d.topic)).toEqual(['huge']);
    expect(fixture.server.calls.filter((c) => c.topics.includes('huge'))).toHaveLength(1);
  });

  it('retries a refusal with a code it does not know, and delivers once the server takes the entry', async () => {
    // A newer server's code (a plan quota, maintenance): not a verdict on the entry, so not a drop.
    let refusals = 3;
    fixture.server.refuse = (topic) =>
      topic === 'later' && refusals-- > 0 ? 'plan_quota_exhausted' : undefined;
    const h = harness();
    for (const t of ['now', 'later']) h.outbox.enqueue(write(t));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 10_000, 'the refused entry to be delivered');
    expect([...fixture.server.stored.keys()].sort()).toEqual(['later', 'now']);
    expect(h.outbox.deadLetters()).toEqual([]);
    expect(h.counters.snapshot()).toMatchObject({
      outcomesDelivered: 2,
      outcomesDropped: 0,
      deliveryRetries: 3,
    });
  });

  it('finds the bad entry one by one when the server refuses a whole batch', async () => {
    fixture.server.refuse = (topic) => (topic === 'bad' ? 'invalid_input' : undefined);
    fixture.server.refuseWholeBatch = true;
    const h = harness();
    for (const t of ['a', 'bad', 'b', 'c']) h.outbox.enqueue(write(t));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0);
    expect([...fixture.server.stored.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(h.outbox.deadLetters().map((d) => d.topic)).toEqual(['bad']);
    expect(fixture.server.writeLog).toHaveLength(3);
    expect(h.log.at('warn', 'batch write refused')).toHaveLength(1);
  });
});

describe.each(DOUBLE_TRANSPORTS)(
  'OutboxDelivery with refusals worded by other servers, over $name',
  (transport) => {
    it('isError without a body: retried a bounded number of times, then dead-lettered', async () => {
      const result = await deliverAgainst(transport, { lock_context: { isError: true, content: [] } });
      expectDeadLetteredAfterTries(result, /tool call failed/);
      expect(result.calls).toEqual({ lock_context: MAX_UNCLEAR });
    });

    it.each([
      [
        'isError with a code',
        { isError: true, ...textResult('{"error": "invalid_input", "message": "bad tags"}') },
      ],
      ['an error in a body without isError', textResult('{"error": "invalid_input", "message": "bad tags"}')],
    ])('a refusal that says why (%s): dead-lettered at once, logged', async (_name, answer) => {
      const result = await deliverAgainst(transport, { lock_context: answer });
      expect(result.counters).toMatchObject({ outcomesDelivered: 0, outcomesDropped: 1, deliveryRetries: 0 });
      expect(result.dead[0]?.reason).toMatch(/^invalid_input: .*bad tags/);
      expect(result.calls).toEqual({ lock_context: 1 });
      expect(result.log.has('refused an outcome for good', 50)).toBe(true);
    });

    it('a rate limit said only in prose: kept and retried, never dropped', async () => {
      const result = await deliverAgainst(transport, {
        lock_context: { isError: true, ...textResult('Rate limit exceeded. Try again later.') },
      });
      expect(result.counters).toMatchObject({ outcomesDelivered: 0, outcomesDropped: 0, internalErrors: 0 });
      expect(result.counters.deliveryRetries).toBeGreaterThan(0);
      expect(result.flushed.remaining).toBe(1);
      expect(result.log.has('rate limit')).toBe(true);
    });
  },
);
