import type { JsonObject } from './tool-result';

/**
 * Where Stompy's tools are called: an MCP connection (`McpSession`), the embedded server in the
 * plugin's memory thread, or that thread seen from the worker's main thread. Every call has a
 * timeout; a refusal throws `StompyToolError`, no answer throws `StompyUnavailableError`.
 */
export interface ToolSession {
  /** Calls a tool and returns its JSON result. */
  callTool(tool: string, args: JsonObject, timeoutMs?: number): Promise<JsonObject>;
  /** The names of the tools the server offers. */
  availableTools(timeoutMs?: number): Promise<ReadonlySet<string>>;
  /** Closes the session, waiting at most `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}
