import type { Logger } from 'pino';
import type { Outcome } from '../common/outcome';
import type { ContextWrite } from '../memory/stompy-client';
import type { MemoryRecall } from './memory-recall';
import { outcomeToContext } from './outcome-content';
import { recallKeysFor } from './recall-keys';

/** Where recorded outcomes wait for delivery. */
export interface OutcomeQueue {
  /** Queues a write; synchronous and local. */
  enqueue(write: ContextWrite): 'queued' | 'duplicate' | 'dropped';
}

/** Something to wake when there is new work to deliver. */
export interface DeliveryTrigger {
  kick(): void;
}

/** The part of the recorder the activity interceptor and the outcome sink use. */
export interface OutcomeSinkTarget {
  record(outcome: Outcome): void;
}

/**
 * Records outcomes: turns each into its context, puts it in the durable outbox and wakes delivery.
 * Never waits on the network. A new outcome is also remembered by recall at once, so the next
 * activity for the same keys on this worker sees it before the server does.
 */
export class OutcomeRecorder implements OutcomeSinkTarget {
  constructor(
    private readonly queue: OutcomeQueue,
    private readonly delivery: DeliveryTrigger,
    private readonly recall: MemoryRecall | undefined,
    private readonly logger: Logger,
  ) {}

  /** Records one outcome (idempotent per topic: a duplicate report writes nothing). */
  record(outcome: Outcome): void {
    const write = outcomeToContext(outcome);
    const result = this.queue.enqueue(write);
    if (result !== 'queued') {
      this.logger.debug({ topic: write.topic, result }, 'stompy: outcome not queued');
      return;
    }
    this.recall?.remember(recallKeysFor(outcome.keys, outcome.activity?.activityType), {
      topic: write.topic,
      content: write.content,
      tags: [...write.tags],
      time: new Date(outcome.endedAtMs).toISOString(),
      score: 0,
    });
    this.delivery.kick();
  }
}
