import type { Logger } from 'pino';
import type { Outcome } from '../common/outcome';
import type { ContextWrite } from '../mcp/stompy-client';
import { outcomeToContext } from '../outcome/outcome-context';
import type { PluginCounters } from '../support/plugin-counters';
import { ThrottledLog } from '../support/throttled-log';
import type { EnqueueResult } from './outbox/outbox-types';

/** Where recorded outcomes wait for delivery: the durable outbox, which answers once the write is committed. */
export interface OutcomeQueue {
  enqueue(write: ContextWrite): Promise<EnqueueResult>;
}

/** The part of the recorder the activity interceptor and the outcome sink use. */
export interface OutcomeSinkTarget {
  /** Records an outcome; resolves once it is in the outbox (or is known not to be). Never rejects. */
  record(outcome: Outcome): Promise<void>;
}

/** Told of each outcome as it is recorded (recall files it at once, before the server has it). */
export type RecordedListener = (outcome: Outcome, write: ContextWrite) => void;

/** Shortest interval between two "could not record" error lines. */
const FAILURE_LOG_INTERVAL_MS = 10_000;

/**
 * Records outcomes: turns each into its context and puts it in the durable outbox, which commits
 * outcomes that arrive together in one transaction, off the thread that runs activities. Never waits
 * on the network. A new outcome is also handed to `onRecorded`, so the next activity for the same
 * keys on this worker sees it at once.
 */
export class OutcomeRecorder implements OutcomeSinkTarget {
  private readonly failures: ThrottledLog;

  constructor(
    private readonly queue: OutcomeQueue,
    private readonly logger: Logger,
    private readonly counters: Pick<PluginCounters, 'add'>,
    private readonly onRecorded?: RecordedListener,
  ) {
    this.failures = new ThrottledLog(logger, {
      intervalMs: FAILURE_LOG_INTERVAL_MS,
      level: 'error',
      countField: 'lostOutcomes',
    });
  }

  /** Records one outcome (idempotent per topic: a duplicate report writes nothing). */
  async record(outcome: Outcome): Promise<void> {
    const write = outcomeToContext(outcome);
    this.onRecorded?.(outcome, write);
    try {
      const result = await this.queue.enqueue(write);
      if (result !== 'queued') this.logger.debug({ topic: write.topic, result }, 'outcome not queued');
    } catch (error) {
      this.counters.add('outcomesDropped');
      this.failures.log(
        { err: error, topic: write.topic },
        'could not put an outcome in the outbox; it is lost',
      );
    }
  }
}
