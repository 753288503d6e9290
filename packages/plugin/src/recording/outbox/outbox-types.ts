import type { Logger } from 'pino';
import type { Priority } from '../../mcp/result-forms';
import type { ContextWrite } from '../../mcp/stompy-client';
import type { PluginCounters } from '../../support/plugin-counters';

/** What `OutcomeOutbox.enqueue` did with a write. */
export type EnqueueResult = 'queued' | 'duplicate' | 'dropped';

/** Options of `OutcomeOutbox`. */
export interface OutcomeOutboxOptions {
  /** The SQLite file (created with its folder when missing), or `:memory:` (nothing survives a restart). */
  path: string;
  logger: Logger;
  /** Where queued, delivered, deduplicated and dropped outcomes are counted. Only `add` is used. */
  counters: Pick<PluginCounters, 'add'>;
  /** Most bytes of pending writes (topic + content + tags); default 64 MiB. Past it new writes are dropped. */
  maxPendingBytes?: number;
  /** Most pending writes; default 100,000. Past it new writes are dropped. */
  maxPending?: number;
  /** Delivered topics remembered for deduplication: at most this many, newest kept; default 100,000. */
  maxDeliveredTopics?: number;
  /** Delivered topics are remembered for deduplication at most this long, in ms; default 7 days. */
  deliveredRetentionMs?: number;
  /** Dead letters (writes the server refused for good) kept for inspection, newest kept; default 1,000. */
  maxDeadLetters?: number;
  /** How long a claim keeps other deliverers off an entry, in ms, unless `claim` says; default 30 s. */
  defaultLeaseMs?: number;
  /**
   * How long a statement waits for another process's write lock, in ms; default 1,000. Kept short
   * because better-sqlite3 waits synchronously, on the thread that runs the user's activities.
   */
  busyTimeoutMs?: number;
  /** Shortest interval between two "outbox full" error logs (drops in between are summed), in ms; default 10 s. */
  dropLogIntervalMs?: number;
  /** The clock, epoch ms; default `Date.now`. */
  now?: () => number;
}

/** A pending write handed out by `OutcomeOutbox.claim`, leased to the caller. */
export interface ClaimedEntry {
  topic: string;
  write: ContextWrite;
  /** This attempt's number, from 1 (claims count as attempts; `OutcomeOutbox.release` gives one back). */
  attempt: number;
  /**
   * An earlier attempt may have reached the server without an answer (timeout, dropped connection,
   * or a deliverer that died holding the lease): check whether the topic is stored before writing it again.
   */
  outcomeUnknown: boolean;
  /** When it was queued, epoch ms. */
  enqueuedAt: number;
  /** Why the outcome's keys and facts stored with it cannot be read (it goes without them). */
  outcomeProblem?: string;
}

/** Options of `OutcomeOutbox.markFailed`. */
export interface FailureDetail {
  /** What went wrong, kept with the entry for inspection (truncated). */
  error?: string;
  /** The write may have reached the server (no answer came): verify before writing it again. */
  outcomeUnknown?: boolean;
}

/** A write the server refused for good, kept for inspection. */
export interface DeadLetter {
  topic: string;
  /** The content, cut to 64 Ki characters; `contentBytes` is its full size in UTF-8 bytes. */
  content: string;
  contentBytes: number;
  tags: string[];
  priority: Priority;
  reason: string;
  attempts: number;
  enqueuedAt: number;
  droppedAt: number;
}

/** Sizes of the outbox's tables. */
export interface OutboxStats {
  pending: number;
  pendingBytes: number;
  deliveredTopics: number;
  deadLetters: number;
}

/** What waits in the outbox, as `OutcomeOutbox.backlog` reads it in one statement. */
export interface OutboxBacklog {
  /** Pending entries (claimed or not). */
  readonly pending: number;
  /** Their bytes (what `maxPendingBytes` bounds). */
  readonly pendingBytes: number;
  /** When the oldest pending entry was queued, epoch ms; undefined when nothing is pending. */
  readonly oldestEnqueuedAt: number | undefined;
  /** Writes the server refused for good, kept for inspection. */
  readonly deadLetters: number;
}
