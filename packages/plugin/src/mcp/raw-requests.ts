import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ListToolsResultSchema, ResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * A tool result is checked only for being a result object (the SDK's base `ResultSchema`): the plugin
 * reads every form hosted Stompy and older servers send (see tool-result.ts), so it neither needs nor
 * wants the SDK's strict result schema, nor its check of `structuredContent` against a tool's output
 * schema (which would turn a server's harmless extra field into a failed call, and costs a schema
 * validation per call).
 */

/** Most pages of `tools/list` read; a server that pages further is answered with what was read. */
const MAX_TOOL_PAGES = 20;

/** Calls a tool with a plain `tools/call` request, not `Client.callTool` (see above). */
export async function callToolRaw(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  options: RequestOptions,
): Promise<CallToolResult> {
  return (await client.request(
    { method: 'tools/call', params: { name, arguments: args } },
    ResultSchema,
    options,
  )) as CallToolResult;
}

/**
 * The names of every tool the server offers, following `nextCursor` across pages. A plain
 * `tools/list` request: `Client.listTools` would also make every later call validate its result.
 */
export async function listToolNames(client: Client, options: RequestOptions): Promise<Set<string>> {
  const names = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const params = cursor === undefined ? {} : { cursor };
    const result = await client.request({ method: 'tools/list', params }, ListToolsResultSchema, options);
    for (const tool of result.tools) names.add(tool.name);
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return names;
}
