import type { ToolRunner } from '@temporal-stompy/memory-server';
import { toolRefusal } from '../mcp/tool-result';
import type { JsonObject } from '../mcp/tool-result';
import type { ToolSession } from '../mcp/tool-session';

/**
 * The embedded memory server's tools, called in the memory thread without MCP: the server's own
 * handlers, argument checks and refusals, with no JSON-RPC, no serialization and no result schema
 * check between two parts of one process. A refusal throws the same `StompyToolError` as over MCP.
 */
export class EmbeddedToolSession implements ToolSession {
  constructor(private readonly runner: ToolRunner) {}

  /** Runs a tool of the embedded server. */
  async callTool(tool: string, args: JsonObject): Promise<JsonObject> {
    const outcome = await this.runner.call(tool, args);
    if (outcome.isError) throw toolRefusal(tool, outcome.body);
    return outcome.body;
  }

  /** The embedded server's tools. */
  availableTools(): Promise<ReadonlySet<string>> {
    return Promise.resolve(new Set(this.runner.toolNames));
  }

  /** Nothing to close: the runtime closes the store. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
