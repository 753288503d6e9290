import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { IncomingMessage } from 'node:http';

/** The first MCP protocol version with a tool's `outputSchema` and a result's `structuredContent`. */
export const STRUCTURED_CONTENT_PROTOCOL = '2025-06-18';

/**
 * Whether the client of an HTTP request can use `structuredContent`. Every tool result is sent as JSON
 * text (what Stompy's clients parse), so a second copy as `structuredContent` doubles the reply, and
 * the text copy is escaped once more inside the JSON-RPC message. Clients that validate a tool's
 * `outputSchema` need it (the MCP SDK's `Client.callTool` throws without it); they speak protocol
 * 2025-06-18 or later, and name it in the `mcp-protocol-version` header of every request after
 * `initialize`, as the spec requires. A request without that header (a bare JSON-RPC POST, as
 * Stompy's own CLI sends) or naming an older protocol cannot use it.
 */
export function acceptsStructuredContent(req: IncomingMessage): boolean {
  const version = req.headers['mcp-protocol-version'];
  return typeof version === 'string' && version >= STRUCTURED_CONTENT_PROTOCOL;
}

/**
 * Makes `transport` send tool results without `structuredContent` (their JSON text stays), for a
 * client that cannot use it (see {@link acceptsStructuredContent}). The MCP server still builds and
 * checks `structuredContent` against the tool's `outputSchema`; only the copy on the wire is dropped.
 */
export function sendTextOnlyResults(transport: Transport): void {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(withoutStructuredContent(message), options);
}

function withoutStructuredContent<Message>(message: Message): Message {
  const result = (message as { result?: unknown }).result;
  if (typeof result !== 'object' || result === null) return message;
  if (!('structuredContent' in result) || !('content' in result)) return message;
  const { structuredContent: _dropped, ...rest } = result as Record<string, unknown>;
  return { ...message, result: rest };
}
