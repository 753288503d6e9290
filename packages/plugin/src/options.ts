import type { Logger } from 'pino';
import type { TagRule } from './tag-rules';

/** Where the memory server is: a URL (hosted Stompy or `stompy-memory serve`), a stdio command, or embedded. */
export type StompyMemoryOptions = HttpMemoryOptions | StdioMemoryOptions | EmbeddedMemoryOptions;

/** Options shared by every kind of memory connection. */
export interface CommonMemoryOptions {
  /** The Stompy project outcomes are written to and recalled from; default: the server's default project. */
  project?: string;
  /** Timeout of every call to the memory server, in milliseconds; default 10,000. */
  timeoutMs?: number;
  /**
   * Client-side cap on calls per minute, recall and delivery together (hosted Stompy allows 60 on the
   * free plan); default: no cap. Recall gets half and answers from its cache beyond it (it never
   * waits for a call); delivery gets the rest, or all of it when recall is off.
   */
  maxCallsPerMinute?: number;
}

/** A memory server reached over HTTP: Streamable HTTP, falling back to legacy SSE. */
export interface HttpMemoryOptions extends CommonMemoryOptions {
  /**
   * The MCP endpoint, e.g. `https://stompy.example/mcp`. When undefined (say `process.env.STOMPY_URL`
   * is not set) the plugin uses the embedded server and logs that it does.
   */
  url: string | undefined;
  /** Bearer token; never logged. */
  token?: string;
  /** `auto` (default) tries Streamable HTTP and falls back to SSE. */
  transport?: 'auto' | 'streamable-http' | 'sse';
}

/** A memory server started as a child process speaking MCP over stdio. */
export interface StdioMemoryOptions extends CommonMemoryOptions {
  command: string;
  args?: string[];
  /** Extra environment for the child (it otherwise gets only HOME, PATH and a few more). */
  env?: Record<string, string>;
  cwd?: string;
}

/** The embedded memory server: our server on a local SQLite file, in this process. */
export interface EmbeddedMemoryOptions extends CommonMemoryOptions {
  /** The SQLite file; default `.stompy/memory.db` under the working directory. */
  dbPath?: string;
}

/** Options of `StompyPlugin`. Every part is optional: `new StompyPlugin()` records and recalls with the embedded server. */
export interface StompyPluginOptions {
  /** The memory server; default: embedded (see {@link EmbeddedMemoryOptions}). */
  memory?: StompyMemoryOptions;
  /** Tag rules: which activities and workflows get which tags and entities. */
  rules?: readonly TagRule[];
  /** Recall before activities. */
  recall?: {
    /** Default true; false records only. */
    enabled?: boolean;
    /** Longest an activity waits for memory, in milliseconds; default 150. */
    budgetMs?: number;
    /** Memories fetched per key; default 20. */
    perKeyLimit?: number;
    /** How long fetched memory stays fresh, in milliseconds; default 30,000. */
    cacheTtlMs?: number;
    /** Most memories put in an activity's context; default 10. */
    maxMemories?: number;
  };
  /** The local durable outbox outcomes wait in until the memory server has them. */
  outbox?: {
    /** The SQLite file; default `.stompy/outbox.db` under the working directory. */
    path?: string;
    /** Most bytes of pending outcomes; default 64 MiB. Past it new outcomes are dropped, loudly. */
    maxBytes?: number;
    /** Most pending outcomes; default 100,000. */
    maxEntries?: number;
  };
  /**
   * Raw capture of activity arguments and results into outcomes: off by default (only metadata and
   * rule-extracted keys are recorded). When on, values are rendered as JSON with secret-looking keys
   * redacted and cut at `maxChars`.
   */
  capture?: {
    args?: boolean;
    result?: boolean;
    /** Keys whose values are replaced by `[redacted]`; default: password, secret, token, api key, auth, card, cvv, ssn, iban. */
    redactKeys?: readonly (string | RegExp)[];
    /** Longest captured text per value; default 2,000 characters. */
    maxChars?: number;
  };
  /** Longest worker shutdown waits to deliver queued outcomes, in milliseconds; default 5,000. */
  shutdownFlushMs?: number;
  /** A pino logger; default: pino at `info` on stderr, named `stompy`. */
  logger?: Logger;
}
