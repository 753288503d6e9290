import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** The body of a refused tool call: a machine-readable `error` code, a message, and details. */
export interface ToolErrorBody {
  /** E.g. `invalid_input`, `not_found`, `insufficient_novelty`, `rate_limit_exceeded`, `internal_error`. */
  error: string;
  /** What was wrong and how to fix it. */
  message: string;
  [detail: string]: unknown;
}

/**
 * A successful tool result as Stompy sends it: the JSON object serialized as text content (what
 * Stompy's clients parse), and the same object as `structuredContent` for clients that read that.
 */
export function jsonResult(value: object): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: { ...value } };
}

/**
 * A refused tool call: `isError: true` with the error body as JSON text, as hosted Stompy sends it.
 * It carries no `structuredContent`: the MCP SDK's `Client.callTool` checks `structuredContent`
 * against the tool's `outputSchema` even on an `isError` result, and an error body never fits the
 * schema of a success, so the client would throw instead of returning the refusal.
 */
export function errorResult(body: ToolErrorBody): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(body) }] };
}
