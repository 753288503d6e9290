import type { Logger } from 'pino';
import { BATCH_WRITE_LIMIT, type ContextWrite, type StompyClient } from '../mcp/stompy-client';
import type { EnqueueResult } from '../recording/outbox/outbox-types';
import { errorMessage } from '../support/error-message';
import type { PluginCounters } from '../support/plugin-counters';

/**
 * Records outcomes straight into the embedded memory file. That file is local and durable like the
 * outbox, so an outbox entry, its lease and its delivery would only write every outcome twice: the
 * outcomes that arrive together are stored in one transaction of the embedded server's batch write,
 * each exactly as `lock_context` would store it (content identical to a topic's latest version adds
 * nothing: a duplicate report records nothing twice). Each write's result is 'queued' (stored),
 * 'duplicate', or undefined: what the file did not take (a refusal, the file busy beyond its
 * timeout), for the outbox to keep and deliver later. Each write carries its outcome's keys and facts
 * when `withOutcomes` (the embedded server offers `outcome_insights`, so it counts them).
 */
export async function recordInEmbeddedFile(
  client: StompyClient,
  writes: readonly ContextWrite[],
  options: {
    readonly withOutcomes: boolean;
    readonly counters: Pick<PluginCounters, 'add'>;
    readonly logger: Logger;
  },
): Promise<(EnqueueResult | undefined)[]> {
  const { withOutcomes, counters, logger } = options;
  const results: (EnqueueResult | undefined)[] = [];
  for (let i = 0; i < writes.length; i += BATCH_WRITE_LIMIT) {
    const chunk = writes.slice(i, i + BATCH_WRITE_LIMIT);
    let receipts: Awaited<ReturnType<StompyClient['lockContextBatch']>>;
    try {
      receipts = await client.lockContextBatch(chunk, undefined, { withOutcomes });
    } catch (error) {
      logger.warn(
        { err: error, outcomes: chunk.length },
        `the embedded memory file did not take outcomes (${errorMessage(error)}); they go to the outbox`,
      );
      results.push(...chunk.map(() => undefined));
      continue;
    }
    chunk.forEach((_, j) => {
      const receipt = receipts[j];
      if (receipt === undefined || receipt instanceof Error) {
        results.push(undefined);
      } else if (receipt.created === false) {
        counters.add('outcomesDeduplicated');
        results.push('duplicate');
      } else {
        counters.add('outcomesQueued');
        counters.add('outcomesDelivered');
        results.push('queued');
      }
    });
  }
  return results;
}
