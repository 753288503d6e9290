/**
 * A TEST DOUBLE of the memory server, for the delivery tests.
 *
 * Why a double: these tests need behaviour a healthy real server does not show on demand: an outage
 * (refused connections, dropped ones), a call that hangs, an answer lost after the write was stored,
 * a rate limit with a chosen `retry_after_seconds`, refusals of chosen topics, a batch tool
 * (`lock_context_batch`, which the real server does not offer yet), and a count of concurrent writes
 * per topic. Everything else is real: it is a real `McpServer` from the MCP SDK, spoken to by the
 * plugin's own `McpSession` + `StompyClient` through the SDK's in-memory transport (a `MemoryTarget`
 * of kind 'in-process'), and its answers follow Stompy's shapes (`lock_context`, `recall_batch`,
 * errors as `{error, message, retry_after_seconds}` with `isError`). The real server
 * (`createStompyServer`) is used in outbox-delivery-memory-server.test.ts.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { MemoryTarget } from '../../mcp/memory-target';

/** How the double answers writes. */
export type DoubleMode =
  /** Answers normally. */
  | 'up'
  /** Refuses connections and drops the open ones (an outage). */
  | 'down'
  /** Accepts calls and never answers them (until the client times out). */
  | 'hang'
  /** Stores writes, then never answers (the answer is lost: the client cannot know it arrived). */
  | 'store-then-hang';

export interface StoredVersion {
  topic: string;
  content: string;
  tags: string[];
  priority: string;
  versions: number;
}

interface WriteArgs {
  topic?: unknown;
  content?: unknown;
  tags?: unknown;
  priority?: unknown;
}

/** A small Stompy-like memory server with switches for failure modes; see the file comment. */
export class MemoryServerDouble {
  mode: DoubleMode = 'up';
  /** Offer `lock_context_batch` in `tools/list`. */
  offerBatch: boolean;
  /** Refuse a topic with this error code (e.g. `invalid_input`), or undefined to accept it. */
  refuse: (topic: string) => string | undefined = () => undefined;
  /** Refuse the next N tool calls as rate limited. */
  rateLimitNext = 0;
  /** `retry_after_seconds` sent with rate-limit refusals (omitted when undefined). */
  retryAfterSeconds: number | undefined;
  /** Refuse whole `lock_context_batch` calls with `invalid_input` when any entry is refused (as schema validation does). */
  refuseWholeBatch = false;
  /** Each write takes this long before it is stored (so concurrent deliverers overlap). */
  writeDelayMs = 0;

  /** Latest version per topic. */
  readonly stored = new Map<string, StoredVersion>();
  /** Every stored write, in order (a topic twice here means it was recorded twice). */
  readonly writeLog: string[] = [];
  /** Every tool call received: tool name and time (ms). */
  readonly calls: { tool: string; at: number; topics: string[] }[] = [];
  /** Highest number of writes of one topic in flight at once. */
  maxConcurrentPerTopic = 0;

  private readonly inFlight = new Map<string, number>();
  private readonly servers = new Set<McpServer>();
  private readonly hanging = new Set<() => void>();

  constructor(options: { offerBatch?: boolean } = {}) {
    this.offerBatch = options.offerBatch ?? true;
  }

  /** How the plugin reaches this double: in-process, through the MCP SDK's in-memory transport. */
  target(): MemoryTarget {
    return {
      kind: 'in-process',
      createServer: () => this.createServer(),
      description: 'memory-server test double',
    };
  }

  /** Times each topic was stored. */
  writeCount(topic: string): number {
    return this.writeLog.filter((t) => t === topic).length;
  }

  /** Calls of a tool (or of the write tools when undefined). */
  writeCalls(): { tool: string; at: number; topics: string[] }[] {
    return this.calls.filter((c) => c.tool === 'lock_context' || c.tool === 'lock_context_batch');
  }

  /** An outage: refuse new connections and drop the open ones. */
  async goDown(): Promise<void> {
    this.mode = 'down';
    this.releaseHanging();
    await Promise.all([...this.servers].map((s) => s.close().catch(() => undefined)));
    this.servers.clear();
  }

  /** Back to normal; calls left hanging are let go (their clients gave up long ago). */
  comeBack(): void {
    this.mode = 'up';
    this.releaseHanging();
  }

  async close(): Promise<void> {
    this.releaseHanging();
    await Promise.all([...this.servers].map((s) => s.close().catch(() => undefined)));
    this.servers.clear();
  }

  private releaseHanging(): void {
    for (const release of [...this.hanging]) release();
  }

  private createServer(): McpServer {
    if (this.mode === 'down') throw new Error('connection refused (memory server double is down)');
    const mcp = new McpServer({ name: 'memory-server-double', version: '0.0.0' });
    mcp.server.registerCapabilities({ tools: {} });
    mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [
        { name: 'lock_context', inputSchema: { type: 'object' as const } },
        { name: 'recall_batch', inputSchema: { type: 'object' as const } },
        ...(this.offerBatch
          ? [{ name: 'lock_context_batch', inputSchema: { type: 'object' as const } }]
          : []),
      ],
    }));
    mcp.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      return this.handle(request.params.name, request.params.arguments ?? {}, extra.signal);
    });
    this.servers.add(mcp);
    return mcp;
  }

  private async handle(
    tool: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallToolResult> {
    const topics =
      tool === 'lock_context_batch'
        ? (Array.isArray(args.contexts) ? (args.contexts as WriteArgs[]) : []).map((c) => String(c.topic))
        : tool === 'recall_batch'
          ? (Array.isArray(args.topics) ? (args.topics as unknown[]) : []).map(String)
          : [String(args.topic)];
    this.calls.push({ tool, at: Date.now(), topics });
    if (this.rateLimitNext > 0) {
      this.rateLimitNext -= 1;
      return errorResult({
        error: 'rate_limit_exceeded',
        message: 'Rate limit exceeded: 60 requests per minute',
        ...(this.retryAfterSeconds === undefined ? {} : { retry_after_seconds: this.retryAfterSeconds }),
      });
    }
    switch (tool) {
      case 'lock_context':
        return this.track([String(args.topic)], async () => {
          const refusal = this.refusal(args);
          if (refusal) return errorResult(refusal);
          if (this.mode === 'hang') await this.hang(signal);
          const version = this.store(args);
          if (this.mode === 'store-then-hang') await this.hang(signal);
          return okResult({ topic: args.topic, version });
        });
      case 'lock_context_batch': {
        const contexts = Array.isArray(args.contexts) ? (args.contexts as WriteArgs[]) : [];
        return this.track(topics, async () => {
          if (this.mode === 'hang') await this.hang(signal);
          const refusals = contexts.map((c) => this.refusal(c));
          if (this.refuseWholeBatch && refusals.some((r) => r !== undefined)) {
            return errorResult({ error: 'invalid_input', message: 'contexts: an entry is invalid' });
          }
          const results = contexts.map((c, i) => {
            const refusal = refusals[i];
            return refusal ? { topic: c.topic, ...refusal } : { topic: c.topic, version: this.store(c) };
          });
          if (this.mode === 'store-then-hang') await this.hang(signal);
          return okResult({ results });
        });
      }
      case 'recall_batch': {
        if (this.mode === 'hang' || this.mode === 'store-then-hang') await this.hang(signal);
        const results: Record<string, unknown> = {};
        for (const topic of topics) {
          const found = this.stored.get(topic);
          results[topic] = found
            ? {
                found: true,
                topic,
                content: found.content,
                version: `1.${found.versions - 1}`,
                tags: found.tags,
                priority: found.priority,
              }
            : { found: false, topic };
        }
        return okResult({
          results,
          found: topics.filter((t) => this.stored.has(t)),
          not_found: topics.filter((t) => !this.stored.has(t)),
        });
      }
      default:
        return errorResult({ error: 'not_found', message: `unknown tool ${tool}` });
    }
  }

  private refusal(args: WriteArgs): { error: string; message: string } | undefined {
    const code = this.refuse(String(args.topic));
    return code
      ? { error: code, message: `${String(args.topic)}: refused by the test double (${code})` }
      : undefined;
  }

  private store(args: WriteArgs): string {
    const topic = String(args.topic);
    const previous = this.stored.get(topic);
    const versions = (previous?.versions ?? 0) + 1;
    this.stored.set(topic, {
      topic,
      content: String(args.content),
      tags: typeof args.tags === 'string' ? args.tags.split(',') : [],
      priority: String(args.priority),
      versions,
    });
    this.writeLog.push(topic);
    return `1.${versions - 1}`;
  }

  /** Runs a write while counting, per topic, how many writes of it are in flight. */
  private async track<T>(topics: string[], work: () => Promise<T>): Promise<T> {
    for (const topic of topics) {
      const n = (this.inFlight.get(topic) ?? 0) + 1;
      this.inFlight.set(topic, n);
      this.maxConcurrentPerTopic = Math.max(this.maxConcurrentPerTopic, n);
    }
    try {
      // Let other calls interleave, as a real server's I/O would.
      await new Promise<void>((resolve) =>
        this.writeDelayMs > 0 ? setTimeout(resolve, this.writeDelayMs) : setImmediate(resolve),
      );
      return await work();
    } finally {
      for (const topic of topics) this.inFlight.set(topic, (this.inFlight.get(topic) ?? 1) - 1);
    }
  }

  /** Waits until the client gives up (cancellation), the double is released, or 30 s pass. */
  private hang(signal: AbortSignal): Promise<never> {
    return new Promise<never>((_, reject) => {
      const release = (): void => {
        this.hanging.delete(release);
        clearTimeout(timer);
        signal.removeEventListener('abort', release);
        reject(new Error('released'));
      };
      const timer = setTimeout(release, 30_000);
      timer.unref();
      signal.addEventListener('abort', release);
      this.hanging.add(release);
    });
  }
}

function okResult(body: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(body) }] };
}

function errorResult(body: Record<string, unknown>): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(body) }] };
}
