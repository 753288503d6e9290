/**
 * Where the memory server is: a URL (hosted Stompy or `stompy-memory serve`), a stdio command, or embedded.
 *
 * @experimental
 */
export type StompyMemoryOptions = HttpMemoryOptions | StdioMemoryOptions | EmbeddedMemoryOptions;

/** Options shared by every kind of memory connection. */
export interface CommonMemoryOptions {
  /** The Stompy project outcomes are written to and recalled from; default: the server's default project. */
  readonly project?: string;
  /** Timeout of every call to the memory server, in milliseconds; default 10,000. */
  readonly timeoutMs?: number;
  /**
   * Client-side cap on calls per minute, recall and delivery together, as the server's plan allows
   * (hosted Stompy: free and beta 60, pro 180, enterprise 300, admin 600); default: no cap. Recall and
   * delivery share it by an adaptive policy (docs/hosted-stompy.md): each is guaranteed
   * `recallShare` (recall) or the rest (delivery) when both want more, and either may use what the
   * other leaves. Recall answers from its cache when it cannot call (counted as `recallsRateLimited`);
   * delivery waits.
   */
  readonly maxCallsPerMinute?: number;
  /**
   * Client-side cap on calls in any 10 seconds (hosted Stompy: free and beta 20, pro 45, enterprise
   * 75, admin 150); default a quarter of `maxCallsPerMinute`. Only with `maxCallsPerMinute`.
   */
  readonly burst?: number;
  /** Share of the calls guaranteed to recall when recall and delivery both want more, over 0 and under 1; default 0.5. */
  readonly recallShare?: number;
}

/** A memory server reached over HTTP: Streamable HTTP, falling back to legacy SSE. */
export interface HttpMemoryOptions extends CommonMemoryOptions {
  /**
   * The MCP endpoint, e.g. `https://stompy.example/mcp`, or several servers of one fleet (stateless
   * servers in front of one database), in order of preference: `['http://a:4123/mcp',
   * 'http://b:4123/mcp']`. Calls go to one server at a time; when it fails (connection refused or
   * reset, timeouts, 5xx) calls move to the next, and back once the first answers again
   * (docs/operations.md, "Several memory servers"). When undefined (say `process.env.STOMPY_URL` is
   * not set) the plugin uses the embedded server and logs that it does.
   */
  readonly url: string | readonly string[] | undefined;
  /** Bearer token, the same for every server of `url`; never logged. */
  readonly token?: string;
  /** `auto` (default) tries Streamable HTTP and falls back to SSE. */
  readonly transport?: 'auto' | 'streamable-http' | 'sse';
}

/** A memory server started as a child process speaking MCP over stdio. */
export interface StdioMemoryOptions extends CommonMemoryOptions {
  /** The program to start, e.g. `stompy-memory`. */
  readonly command: string;
  /** Its arguments, e.g. `['stdio', '--db', 'memory.db']`. */
  readonly args?: readonly string[];
  /** Extra environment for the child (it otherwise gets only HOME, PATH and a few more). */
  readonly env?: Readonly<Record<string, string>>;
  /** Its working directory; default: the worker's. */
  readonly cwd?: string;
}

/** The embedded memory server: our server on a local SQLite file, run by the plugin itself. */
export interface EmbeddedMemoryOptions extends CommonMemoryOptions {
  /** The SQLite file; default `.stompy/memory.db` under the working directory. */
  readonly dbPath?: string;
}
