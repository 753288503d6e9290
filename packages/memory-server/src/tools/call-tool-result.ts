import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolOutcome } from './tool-outcome';

/**
 * A tool call's outcome as an MCP result, the way Stompy sends it. A success is the JSON object
 * serialized as text content (what Stompy's clients parse) and the same object as `structuredContent`
 * for clients that read that. A refusal is `isError: true` with the error body as JSON text, as hosted
 * Stompy sends it. It carries no `structuredContent`: the MCP SDK's `Client.callTool` checks
 * `structuredContent` against the tool's `outputSchema` even on an `isError` result, and an error body
 * never fits the schema of a success, so the client would throw instead of returning the refusal.
 */
export function callToolResult(outcome: ToolOutcome): CallToolResult {
  const content = [{ type: 'text' as const, text: JSON.stringify(outcome.body) }];
  return outcome.isError ? { isError: true, content } : { content, structuredContent: { ...outcome.body } };
}
