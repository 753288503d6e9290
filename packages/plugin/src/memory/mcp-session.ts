import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { connectClient } from './connect-client';
import { describeTarget, type MemoryTarget } from './memory-target';
import { StompyUnavailableError } from './stompy-errors';
import { readToolResult, type JsonObject } from './tool-result';

/**
 * One logical MCP connection to the memory server that reconnects on demand: a call after a
 * transport failure (server restarted, SSE stream dropped, stdio child died) opens a new client.
 * Every call has a timeout; no call ever waits on another's reconnect for longer than its own.
 */
export class McpSession {
  private client: Promise<Client> | undefined;
  private current: Client | undefined;
  private toolNames: Promise<ReadonlySet<string>> | undefined;
  private closed = false;

  constructor(
    private readonly target: MemoryTarget,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /** Calls a tool and returns its JSON result; throws StompyToolError (refused) or StompyUnavailableError. */
  async callTool(tool: string, args: JsonObject, timeoutMs = this.timeoutMs): Promise<JsonObject> {
    const client = await this.connected(tool, timeoutMs);
    let result: CallToolResult;
    try {
      result = (await client.callTool({ name: tool, arguments: args }, undefined, {
        timeout: timeoutMs,
      })) as CallToolResult;
    } catch (error) {
      this.dropClient(client);
      throw new StompyUnavailableError(tool, errorMessage(error), { cause: error });
    }
    return readToolResult(tool, result);
  }

  /** The names of the tools the server offers (asked once per connection with `tools/list`). */
  async availableTools(timeoutMs = this.timeoutMs): Promise<ReadonlySet<string>> {
    const client = await this.connected('tools/list', timeoutMs);
    this.toolNames ??= client
      .listTools(undefined, { timeout: timeoutMs })
      .then(({ tools }) => new Set(tools.map((t) => t.name)));
    try {
      return await this.toolNames;
    } catch (error) {
      this.dropClient(client);
      throw new StompyUnavailableError('tools/list', errorMessage(error), { cause: error });
    }
  }

  /** Closes the connection; later calls fail at once. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    this.current = undefined;
    if (client) await client.then((c) => c.close()).catch(() => undefined);
  }

  private async connected(tool: string, timeoutMs: number): Promise<Client> {
    if (this.closed) throw new StompyUnavailableError(tool, 'the memory connection is closed');
    this.client ??= connectClient(this.target, timeoutMs, this.logger).then((c) => (this.current = c));
    const pending = this.client;
    try {
      return await pending;
    } catch (error) {
      if (this.client === pending) this.client = undefined;
      throw new StompyUnavailableError(
        tool,
        `cannot connect to ${describeTarget(this.target)}: ${errorMessage(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  /** Forgets a client whose transport failed so the next call reconnects (unless one already did). */
  private dropClient(client: Client): void {
    if (this.current === client) {
      this.client = undefined;
      this.current = undefined;
      this.toolNames = undefined;
    }
    void client.close().catch(() => undefined);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
