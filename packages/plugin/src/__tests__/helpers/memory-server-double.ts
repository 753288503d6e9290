/**
 * A TEST DOUBLE of a Stompy memory server: the one server double of the plugin's tests.
 *
 * Why a double: tests need behaviour a healthy real server does not show on demand. It answers
 * Stompy's tools as a test tells it: garbage, each form hosted Stompy and older servers answer in, or
 * refusals (`answers`); or, by default, as a small Stompy that stores writes, with switches for an
 * outage (refused connections, dropped ones), calls that hang, answers lost after the write was
 * stored, rate limits with a chosen `retry_after_seconds`, refusals of chosen topics, a batch tool
 * (`lock_context_batch`, which hosted Stompy does not offer) and a count of concurrent writes per
 * topic. Everything else is real: each connection gets a real `McpServer` of the MCP SDK (which
 * refuses, as a JSON-RPC error, a result of the wrong shape), reached in-process through the SDK's
 * in-memory transport (`target()`) or over the memory server's own HTTP code, Streamable HTTP and
 * legacy SSE (`listen()`), so the plugin's client parses what such a server puts on the wire. The real
 * server is used where a test needs no such behaviour (`memory-over-http.ts`).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type ListToolsResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { startHttpServer, type RunningHttpServer } from '@temporal-stompy/memory-server';
import type { MemoryTarget } from '../../mcp/memory-target';
import { DoubleStore, errorResult, topicsOf, type ToolArgs } from './double-store';
import type { ServedMemory } from './memory-transports';
import { silentLogger } from './silent-logger';

export { jsonResult, textResult, type StoredVersion, type ToolArgs } from './double-store';

/** A tool's answer: a fixed result, or one computed from the call's arguments. */
export type DoubleAnswer = CallToolResult | ((args: ToolArgs) => CallToolResult);

/** How the double answers calls. */
export type DoubleMode =
  /** Answers normally. */
  | 'up'
  /** Refuses connections and drops the open ones (an outage). */
  | 'down'
  /** Accepts calls and never answers them (until the client gives up). */
  | 'hang'
  /** Does what a call asks (stores a write), then never answers: the client cannot know it arrived. */
  | 'store-then-hang';

/** One tool call received. */
export interface ToolCall {
  tool: string;
  args: ToolArgs;
  /** The topics it names: written, asked for, or none. */
  topics: string[];
  /** When it arrived (ms). */
  at: number;
}

/** A Stompy-like memory server answering as a test says; see the file comment. */
export class MemoryServerDouble extends DoubleStore implements ServedMemory {
  mode: DoubleMode = 'up';
  /** Refuse the next N tool calls as rate limited. */
  rateLimitNext = 0;
  /** `retry_after_seconds` sent with rate-limit refusals (omitted when undefined). */
  retryAfterSeconds: number | undefined;
  /** Every tool call received, in order. */
  readonly calls: ToolCall[] = [];
  /** MCP servers made so far: one per in-process connection (over HTTP, idle ones are reused). */
  mcpServersCreated = 0;

  private readonly answers: Readonly<Record<string, DoubleAnswer>> | undefined;
  private readonly toolsPerPage: number | undefined;
  private readonly outputSchemas: Readonly<Record<string, Tool['outputSchema']>>;
  private readonly servers = new Set<McpServer>();
  private readonly hanging = new Set<() => void>();
  private http: RunningHttpServer | undefined;
  private httpPort = 0;
  private httpToken: string | undefined;

  /**
   * With `answers`, the double offers exactly those tools, each answering as told. Without, it offers
   * `lock_context`, `recall_batch` and (while `offerBatch`) `lock_context_batch`, and stores writes.
   * `tools/list` answers in pages of `toolsPerPage` tools when given, declaring the `outputSchemas`
   * given per tool (the double's answers need not fit them).
   */
  constructor(
    options: {
      answers?: Record<string, DoubleAnswer>;
      offerBatch?: boolean;
      toolsPerPage?: number;
      outputSchemas?: Record<string, Tool['outputSchema']>;
    } = {},
  ) {
    super();
    this.answers = options.answers;
    this.offerBatch = options.offerBatch ?? true;
    this.toolsPerPage = options.toolsPerPage;
    this.outputSchemas = options.outputSchemas ?? {};
  }

  /** How the plugin reaches this double in-process, through the MCP SDK's in-memory transport. */
  target(): MemoryTarget {
    return {
      kind: 'in-process',
      createServer: this.createMcpServer,
      description: 'memory server test double',
    };
  }

  /** Serves the double over HTTP on loopback (Streamable HTTP at `/mcp`, SSE at `/sse`), with a token when given. */
  async listen(options: { token?: string } = {}): Promise<void> {
    this.httpToken = options.token;
    await this.startHttp();
  }

  /** `http://127.0.0.1:<port>`, once {@link listen} has been called. */
  get baseUrl(): string {
    if (!this.httpPort) throw new Error('MemoryServerDouble: call listen() before asking for its URL');
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** The Streamable HTTP endpoint. */
  get url(): string {
    return `${this.baseUrl}/mcp`;
  }

  get token(): string | undefined {
    return this.httpToken;
  }

  /** Calls received per tool name. */
  callCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { tool } of this.calls) counts[tool] = (counts[tool] ?? 0) + 1;
    return counts;
  }

  /** Calls of the write tools. */
  writeCalls(): ToolCall[] {
    return this.calls.filter((c) => c.tool === 'lock_context' || c.tool === 'lock_context_batch');
  }

  /** An outage: refuse new connections (over HTTP: stop listening) and drop the open ones. */
  async goDown(): Promise<void> {
    this.mode = 'down';
    await this.disconnect();
  }

  /** Back to normal (listening again on the same port); calls left hanging are let go. */
  async comeBack(): Promise<void> {
    this.mode = 'up';
    this.releaseHanging();
    if (this.httpPort && !this.http) await this.startHttp();
  }

  async close(): Promise<void> {
    await this.disconnect();
  }

  /** A new MCP server answering as the double does; the in-process target and every HTTP request use one. */
  readonly createMcpServer = (): McpServer => {
    if (this.mode === 'down') throw new Error('connection refused (memory server double is down)');
    this.mcpServersCreated += 1;
    const mcp = new McpServer({ name: 'memory-server-double', version: '0.0.0' });
    mcp.server.registerCapabilities({ tools: {} });
    mcp.server.setRequestHandler(ListToolsRequestSchema, (request) => this.listTools(request.params?.cursor));
    mcp.server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
      this.handle(request.params.name, request.params.arguments ?? {}, extra.signal),
    );
    this.servers.add(mcp);
    return mcp;
  };

  /** A page of `tools/list`: all the tools, or `toolsPerPage` of them from `cursor` on. */
  private listTools(cursor: string | undefined): ListToolsResult {
    const tools = this.toolNames().map((name) => {
      const outputSchema = this.outputSchemas[name];
      return { name, inputSchema: { type: 'object' as const }, ...(outputSchema ? { outputSchema } : {}) };
    });
    if (this.toolsPerPage === undefined) return { tools };
    const start = Number(cursor ?? 0);
    const end = start + this.toolsPerPage;
    const page = tools.slice(start, end);
    return end < tools.length ? { tools: page, nextCursor: String(end) } : { tools: page };
  }

  private toolNames(): string[] {
    return this.answers ? Object.keys(this.answers) : this.storingTools();
  }

  private async startHttp(): Promise<void> {
    this.http = await startHttpServer({
      createMcpServer: this.createMcpServer,
      logger: silentLogger,
      port: this.httpPort,
      ...(this.httpToken === undefined ? {} : { token: this.httpToken }),
    });
    this.httpPort = this.http.port;
  }

  private async disconnect(): Promise<void> {
    this.releaseHanging();
    await Promise.all([...this.servers].map((s) => s.close().catch(() => undefined)));
    this.servers.clear();
    await this.http?.close();
    this.http = undefined;
  }

  private releaseHanging(): void {
    for (const release of [...this.hanging]) release();
  }

  private async handle(tool: string, args: ToolArgs, signal: AbortSignal): Promise<CallToolResult> {
    this.calls.push({ tool, args, topics: topicsOf(tool, args), at: Date.now() });
    if (this.rateLimitNext > 0) {
      this.rateLimitNext -= 1;
      return errorResult({
        error: 'rate_limit_exceeded',
        message: 'Rate limit exceeded: 60 requests per minute',
        ...(this.retryAfterSeconds === undefined ? {} : { retry_after_seconds: this.retryAfterSeconds }),
      });
    }
    if (this.mode === 'hang') await this.hang(signal);
    const answer = this.answers ? this.answerAsTold(tool, args) : await this.answerAsStore(tool, args);
    if (this.mode === 'store-then-hang') await this.hang(signal);
    return answer;
  }

  private answerAsTold(tool: string, args: ToolArgs): CallToolResult {
    const answer = this.answers?.[tool];
    if (!answer) return errorResult({ error: 'not_found', message: `unknown tool ${tool}` });
    return typeof answer === 'function' ? answer(args) : answer;
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
