import type { ToolSession } from '../mcp/tool-session';
import type { JsonObject } from '../mcp/tool-result';
import type { MemoryThread } from './memory-thread';

/**
 * Stompy's tools as the worker's main thread calls them: through the memory thread, which holds the
 * one connection to the memory server (or the embedded server) and answers with the same results
 * and the same errors (`StompyToolError`, `StompyUnavailableError`) as a session of its own would.
 */
export class ThreadToolSession implements ToolSession {
  constructor(
    private readonly thread: MemoryThread,
    private readonly timeoutMs: number,
  ) {}

  /** Calls a tool in the memory thread. */
  callTool(tool: string, args: JsonObject, timeoutMs = this.timeoutMs): Promise<JsonObject> {
    return this.thread.request<JsonObject>({ op: 'call', tool, args, timeoutMs }, timeoutMs);
  }

  /** The tools the memory server offers. */
  async availableTools(timeoutMs = this.timeoutMs): Promise<ReadonlySet<string>> {
    return new Set(await this.thread.request<string[]>({ op: 'tools', timeoutMs }, timeoutMs));
  }

  /** The thread's connection is closed with the thread, not by its callers. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
