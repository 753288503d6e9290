// A flush must deliver an entry whose retry becomes due while delivery is looking for due entries:
// with a clock that moves 1 ms at every reading and a retry delay of `delay` ms, for some delay the
// entry becomes due between the moment delivery looks for due entries and the moment it asks when the
// next one is due. A flush must then look again, not conclude there is nothing left to wait for. Real
// outbox file, real MCP client, a server double refusing the first write, over each transport the
// double is served on.
import { systemClock } from '../delivery-clock';
import { textResult } from '../../../__tests__/helpers/memory-server-double';
import { DOUBLE_TRANSPORTS } from '../../../__tests__/helpers/memory-transports';
import { deliverAgainst } from '../../../__tests__/helpers/scripted-delivery';

describe.each(DOUBLE_TRANSPORTS)('OutboxDelivery.flush racing a retry, over $name', (transport) => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])(
    'a retried entry that becomes due while delivery looks is still delivered by the flush (delay %i ms)',
    async (delay) => {
      let now = 1_000_000;
      const tick = (): number => (now += 1);
      let lockCalls = 0;
      const result = await deliverAgainst(
        transport,
        {
          lock_context: (args) =>
            ++lockCalls === 1
              ? { isError: true, content: [] }
              : textResult(JSON.stringify({ topic: args.topic, version: '1.0' })),
        },
        1,
        {
          clock: { ...systemClock, now: tick },
          random: () => (delay + 0.5) / 20,
          backoffInitialMs: 20,
          backoffMaxMs: 20,
        },
      );
      expect(result.flushed).toEqual({ delivered: 1, remaining: 0 });
      expect(result.counters).toMatchObject({ outcomesDelivered: 1, deliveryRetries: 1, outcomesDropped: 0 });
    },
  );
});
