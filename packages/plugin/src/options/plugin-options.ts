import type { Logger } from 'pino';
import type { TagRule } from '../keys/tag-rules';
import type { StompyMemoryOptions } from './memory-options';

/**
 * Options of `StompyPlugin`. Every part is optional: `new StompyPlugin()` records and recalls with the
 * embedded server.
 *
 * @experimental The plugin rests on the SDK's `SimplePlugin` and `WorkflowInternalsInterceptor`,
 * both experimental in the Temporal TypeScript SDK; these options may change with them.
 */
export interface StompyPluginOptions {
  /** The memory server; default: embedded (see `EmbeddedMemoryOptions`). */
  readonly memory?: StompyMemoryOptions;
  /** Tag rules: which activities and workflows get which tags and entities. */
  readonly rules?: readonly TagRule[];
  /** Recall before activities. */
  readonly recall?: RecallOptions;
  /** The local durable outbox outcomes wait in until the memory server has them. */
  readonly outbox?: OutboxOptions;
  /** Raw capture of activity arguments and results into outcomes: off by default. */
  readonly capture?: CaptureOptions;
  /** Longest worker shutdown waits to deliver queued outcomes, in milliseconds; default 5,000. */
  readonly shutdownFlushMs?: number;
  /** A pino logger; default: pino at `info` on stderr, named `stompy`. */
  readonly logger?: Logger;
}

/** How the plugin recalls memory before an activity runs. */
export interface RecallOptions {
  /** Default true; false records only. */
  readonly enabled?: boolean;
  /** Longest an activity waits for memory, in milliseconds; default 150. */
  readonly budgetMs?: number;
  /** Memories fetched per key; default 20. */
  readonly perKeyLimit?: number;
  /** How long fetched memory stays fresh, in milliseconds; default 30,000. */
  readonly cacheTtlMs?: number;
  /** Most memories put in an activity's context; default 10. */
  readonly maxMemories?: number;
  /**
   * Half-life of the evidence behind time patterns, in days of event time (see `docs/insights.md`):
   * a pattern that truly ends fades. Default 28; 1 to 3,650.
   */
  readonly halfLifeDays?: number;
}

/** The local durable outbox: a SQLite file outcomes wait in until the memory server has them. */
export interface OutboxOptions {
  /** The SQLite file; default `.stompy/outbox.db` under the working directory. */
  readonly path?: string;
  /** Most bytes of pending outcomes; default 64 MiB. Past it new outcomes are dropped, loudly. */
  readonly maxBytes?: number;
  /** Most pending outcomes; default 100,000. */
  readonly maxEntries?: number;
}

/**
 * Raw capture of activity arguments and results into outcomes: off by default (only metadata and
 * rule-extracted keys are recorded). When on, values are rendered as JSON with secret-looking keys
 * redacted and cut at `maxChars`.
 */
export interface CaptureOptions {
  /** Record the activity's arguments. */
  readonly args?: boolean;
  /** Record the activity's result. */
  readonly result?: boolean;
  /** Keys whose values are replaced by `[redacted]`; default: password, secret, token, api key, auth, card, cvv, ssn, iban. */
  readonly redactKeys?: readonly (string | RegExp)[];
  /** Longest captured text per value; default 2,000 characters. */
  readonly maxChars?: number;
}
