import Database from 'better-sqlite3';
import { outcomeToContext } from '../../../outcome/outcome-context';
import type { ContextWrite } from '../../../mcp/stompy-client';
import { activityOutcome } from '../../../__tests__/helpers/sample-outcome';
import { deliveryFixture } from '../../../__tests__/helpers/outbox-test-kit';
import type { ToolCall } from '../../../__tests__/helpers/memory-server-double';

// An outcome's keys and facts go with its batch entry only to a server whose tools/list offers
// `outcome_insights`; plain Stompy (no such tool, or no batch tool) gets the same writes without
// them. They wait in the outbox row, so delivery after a restart still sends them; a row whose facts
// cannot be read is delivered without them, logged and counted.

const fixture = deliveryFixture();

function outcomeWrite(attempt: number): ContextWrite {
  const base = activityOutcome();
  return outcomeToContext(activityOutcome({ activity: { ...base.activity!, attempt } }));
}

/** The entries (or single writes) the server received, in order. */
function sentEntries(calls: readonly ToolCall[]): Record<string, unknown>[] {
  return calls.flatMap((call) =>
    call.tool === 'lock_context_batch'
      ? (call.args.contexts as Record<string, unknown>[])
      : call.tool === 'lock_context'
        ? [call.args]
        : [],
  );
}

it('sends the keys and facts with each batch entry when the server offers outcome_insights', async () => {
  fixture.server.offerInsights = true;
  const h = fixture.harness();
  const writes = [outcomeWrite(1), outcomeWrite(2)];
  h.outbox.enqueueAll(writes);
  h.delivery.start();
  expect(await h.delivery.flush(5_000)).toEqual({ delivered: 2, remaining: 0 });
  const entries = sentEntries(fixture.server.writeCalls());
  expect(fixture.server.writeCalls().map((c) => c.tool)).toEqual(['lock_context_batch']);
  expect(entries.map((e) => e.outcome)).toEqual(
    writes.map((w) => ({ keys: w.outcome!.keys, facts: w.outcome!.facts })),
  );
  expect(entries[0]?.outcome).toMatchObject({
    keys: ['activity:chargePayment', 'customer:C9'],
    facts: { kind: 'activity', activityType: 'chargePayment', failed: true, topic: writes[0]!.topic },
  });
});

it.each([
  ['a server with the batch tool but no outcome_insights', true],
  ['plain Stompy (no batch tool)', false],
])('sends the same writes without them to %s', async (_name, offerBatch) => {
  fixture.server.offerBatch = offerBatch;
  const h = fixture.harness();
  h.outbox.enqueueAll([outcomeWrite(1), outcomeWrite(2)]);
  h.delivery.start();
  expect(await h.delivery.flush(5_000)).toEqual({ delivered: 2, remaining: 0 });
  const entries = sentEntries(fixture.server.writeCalls());
  expect(entries).toHaveLength(2);
  expect(entries.every((e) => !('outcome' in e))).toBe(true);
});

it('keeps them in the outbox row, so delivery after a restart still sends them', async () => {
  fixture.server.offerInsights = true;
  const before = fixture.harness();
  const write = outcomeWrite(3);
  before.outbox.enqueue(write);
  await before.close();
  const after = fixture.harness();
  after.delivery.start();
  expect(await after.delivery.flush(5_000)).toEqual({ delivered: 1, remaining: 0 });
  expect(sentEntries(fixture.server.writeCalls())[0]?.outcome).toEqual(write.outcome);
});

it('delivers an entry whose stored facts cannot be read without them, and says so', async () => {
  fixture.server.offerInsights = true;
  const h = fixture.harness();
  h.outbox.enqueueAll([outcomeWrite(4), outcomeWrite(5)]);
  const db = new Database(h.path);
  db.prepare('UPDATE outbox_pending SET outcome = ? WHERE seq = (SELECT MIN(seq) FROM outbox_pending)').run(
    '{"keys": [], "facts": {}}',
  );
  db.close();
  h.delivery.start();
  expect(await h.delivery.flush(5_000)).toEqual({ delivered: 2, remaining: 0 });
  const entries = sentEntries(fixture.server.writeCalls());
  expect(entries.map((e) => 'outcome' in e)).toEqual([false, true]);
  expect(h.counters.snapshot().internalErrors).toBe(1);
  expect(h.log.at('warn', 'outcome facts cannot be read')).toEqual([
    expect.objectContaining({ problem: 'outcome keys must be 1 to 20 non-empty strings' }),
  ]);
});
