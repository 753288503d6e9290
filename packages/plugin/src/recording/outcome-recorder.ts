import type { Logger } from 'pino';
import type { Outcome } from '../common/outcome';
import type { ContextWrite } from '../mcp/stompy-client';
import { outcomeToContext } from '../outcome/outcome-context';

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

/** Told of each outcome the outbox accepted (recall files it at once, before the server has it). */
export type RecordedListener = (outcome: Outcome, write: ContextWrite) => void;

/**
 * Records outcomes: turns each into its context, puts it in the durable outbox and wakes delivery.
 * Never waits on the network. A new outcome is also handed to `onRecorded`, so the next activity for
 * the same keys on this worker can see it before the server does.
 */
export class OutcomeRecorder implements OutcomeSinkTarget {
  constructor(
    private readonly queue: OutcomeQueue,
    private readonly delivery: DeliveryTrigger,
    private readonly logger: Logger,
    private readonly onRecorded?: RecordedListener,
  ) {}

  /** Records one outcome (idempotent per topic: a duplicate report writes nothing). */
  record(outcome: Outcome): void {
    const write = outcomeToContext(outcome);
    const result = this.queue.enqueue(write);
    if (result !== 'queued') {
      this.logger.debug({ topic: write.topic, result }, 'stompy: outcome not queued');
      return;
    }
    this.onRecorded?.(outcome, write);
    this.delivery.kick();
  }
}
