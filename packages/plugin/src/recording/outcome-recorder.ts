import type { Logger } from 'pino';
import type { Outcome } from '../common/outcome';
import type { ContextWrite } from '../mcp/stompy-client';
import { outcomeToContext } from '../outcome/outcome-context';
import { TIMED_OUT, withDeadline } from '../support/deadline';
import type { PluginCounters } from '../support/plugin-counters';
import { ThrottledLog } from '../support/throttled-log';
import type { EnqueueResult } from './outbox/outbox-types';

/** Where recorded outcomes wait for delivery: the durable outbox, which answers once the write is committed. */
export interface OutcomeQueue {
  enqueue(write: ContextWrite): Promise<EnqueueResult>;
}

/** The part of the recorder the activity interceptor and the outcome sink use. */
export interface OutcomeSinkTarget {
  /**
   * Records an outcome; resolves once it is committed to the outbox, or once the wait for that ran
   * out (the commit goes on). Never rejects.
   */
  record(outcome: Outcome): Promise<void>;
}

/** Told of each outcome as it is recorded (recall files it at once, before the server has it). */
export type RecordedListener = (outcome: Outcome, write: ContextWrite) => void;

/** How an {@link OutcomeRecorder} records. */
export interface OutcomeRecorderOptions {
  readonly queue: OutcomeQueue;
  readonly logger: Logger;
  readonly counters: Pick<PluginCounters, 'add'>;
  /** Longest a caller waits for the commit (the recall budget); 0: no wait. */
  readonly waitMs: number;
  readonly onRecorded?: RecordedListener;
  /** The clock, epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

/** Shortest interval between two identical recording lines. */
const LOG_INTERVAL_MS = 10_000;
/** Commits in a row that miss the wait before callers stop waiting (until one is in time again). */
const SLOW_AFTER_MISSES = 3;

/**
 * Records outcomes: turns each into its context and puts it in the durable outbox, which commits
 * outcomes that arrive together in one transaction, off the thread that runs activities. The caller
 * (an activity's interceptor, the sink of a run's end) waits for the commit, so what Temporal sees
 * end is on disk first; at most `waitMs`, and not at all while commits keep missing that wait, so a
 * stuck outbox costs activities nothing. Never waits on the network. A new outcome is also handed to
 * `onRecorded`, so the next activity for the same keys on this worker sees it at once.
 */
export class OutcomeRecorder implements OutcomeSinkTarget {
  private readonly failures: ThrottledLog;
  private readonly slowLog: ThrottledLog;
  private readonly now: () => number;
  private misses = 0;

  constructor(private readonly options: OutcomeRecorderOptions) {
    this.now = options.now ?? Date.now;
    const { logger } = options;
    this.failures = new ThrottledLog(logger, {
      intervalMs: LOG_INTERVAL_MS,
      level: 'error',
      countField: 'lostOutcomes',
    });
    this.slowLog = new ThrottledLog(logger, { intervalMs: LOG_INTERVAL_MS });
  }

  /** Records one outcome (idempotent per topic: a duplicate report writes nothing). */
  async record(outcome: Outcome): Promise<void> {
    const { waitMs } = this.options;
    const started = this.now();
    const committed = this.commit(outcome).then(() => {
      // A commit in time again: callers wait for commits again.
      if (this.now() - started < waitMs) this.misses = 0;
    });
    if (waitMs <= 0 || this.misses >= SLOW_AFTER_MISSES) return;
    if ((await withDeadline(committed, waitMs)) !== TIMED_OUT) return;
    this.misses += 1;
    this.slowLog.log(
      { waitMs, stoppedWaiting: this.misses >= SLOW_AFTER_MISSES },
      'the outbox did not commit an outcome within the recall budget; the result went on without waiting (the commit goes on)',
    );
  }

  /** Puts the outcome in the outbox; never rejects (every failure is logged and counted). */
  private async commit(outcome: Outcome): Promise<void> {
    let write: ContextWrite;
    try {
      write = outcomeToContext(outcome);
      this.options.onRecorded?.(outcome, write);
    } catch (error) {
      this.options.counters.add('internalErrors');
      this.options.logger.error(
        { err: error },
        'internal error while preparing an outcome; it is not recorded',
      );
      return;
    }
    try {
      const result = await this.options.queue.enqueue(write);
      if (result !== 'queued')
        this.options.logger.debug({ topic: write.topic, result }, 'outcome not queued');
    } catch (error) {
      this.options.counters.add('outcomesDropped');
      this.failures.log(
        { err: error, topic: write.topic },
        'could not put an outcome in the outbox; it is lost',
      );
    }
  }
}
