// Answers to a write that say nothing readable (non-JSON text, a JSON object without a version, a
// result of a shape the MCP SDK refuses to send): the write may have been stored, so before each new
// try delivery asks recall_batch whether it arrived after all, and takes a found topic as delivered
// rather than writing it again. A write never confirmed goes to the dead letters after a bounded
// number of tries. Real outbox file, real MCP client, a server double answering as told, over each
// transport the double is served on.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { textResult } from '../../../__tests__/helpers/memory-server-double';
import { DOUBLE_TRANSPORTS } from '../../../__tests__/helpers/memory-transports';
import {
  deliverAgainst,
  expectDeadLetteredAfterTries,
  foundAll,
  MAX_UNCLEAR,
} from '../../../__tests__/helpers/scripted-delivery';

describe.each(DOUBLE_TRANSPORTS)('OutboxDelivery with unreadable answers, over $name', (transport) => {
  it.each([
    ['non-JSON text', textResult('stored, I think')],
    ['a JSON object without a version', textResult('{}')],
    [
      'a wrong shape the SDK refuses (a JSON-RPC error)',
      { content: 'not a list' } as unknown as CallToolResult,
    ],
  ])(
    'an unreadable answer (%s): checked with recall_batch before each new try, then dead-lettered',
    async (_name, answer) => {
      const result = await deliverAgainst(transport, { lock_context: answer });
      expectDeadLetteredAfterTries(result, /malformed_result/);
      // Between two writes, a check that the first did not arrive after all.
      expect(result.calls).toEqual({ lock_context: MAX_UNCLEAR, recall_batch: MAX_UNCLEAR - 1 });
    },
  );

  it('an unreadable answer after which recall_batch finds the topic stored: delivered, not written again', async () => {
    const result = await deliverAgainst(transport, {
      lock_context: textResult('OK'),
      recall_batch: foundAll,
    });
    expect(result.counters).toMatchObject({ outcomesDelivered: 1, outcomesDropped: 0, internalErrors: 0 });
    expect(result.calls).toEqual({ lock_context: 1, recall_batch: 1 });
  });

  it('an unreadable answer to a batch write: every entry is checked before it is written again', async () => {
    const result = await deliverAgainst(
      transport,
      {
        lock_context_batch: textResult('all good'),
        lock_context: { isError: true, content: [] },
        recall_batch: foundAll,
      },
      5,
    );
    expect(result.counters).toMatchObject({ outcomesDelivered: 5, outcomesDropped: 0, internalErrors: 0 });
    // One batch call, one check that finds all five stored, and no write sent twice.
    expect(result.calls).toEqual({ lock_context_batch: 1, recall_batch: 1 });
  });
});
